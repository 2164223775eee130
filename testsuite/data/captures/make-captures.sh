#!/usr/bin/env bash
# Regenerate the IKE packet captures in this folder with strongSwan's charon
# (Debian 12: strongswan-charon, strongswan-swanctl, libcharon-extra-plugins,
# strongswan-pki, tcpdump, iproute2, tshark for the check).
#
# Usage (as root):  ./make-captures.sh [SCENARIO...]
#   SCENARIO is one of: ikev2-psk ikev2-cert-frag ikev2-cookie-or-invalid-ke
#                       ikev1-main-psk ikev1-aggressive-psk   (default: all)
#
# Two charon instances (initiator 192.0.2.1, responder 192.0.2.2) run in two
# network namespaces created here and joined by a veth pair; no packet leaves
# them. Each charon also gets a private mount namespace whose /run is a bind
# mount of its own work directory (charon's pid file path is compiled in).
# tcpdump writes classic pcap (Ethernet) on the initiator's veth, keeping only
# IKE: UDP 500, and UDP 4500 with the 4-byte non-ESP marker (no ESP, no
# keepalives). The charon log (ike 4, chd 4, enc 3) of both peers is filtered
# into NAME.keys.txt (DH secret, SKEYSEED/SKEYID*, SK_*, CHILD_SA keys, SPIs,
# nonces).
#
# Everything is removed on exit (trap); a watchdog bounds the whole run.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CONF=$HERE/conf
OUT=${OUT:-$HERE}
NS_I=ospcap-i
NS_R=ospcap-r
IF_I=vcap-i
IF_R=vcap-r
IP_I=192.0.2.1
IP_R=192.0.2.2
CHARON=${CHARON:-/usr/lib/ipsec/charon}
MAX_SECONDS=${MAX_SECONDS:-900}
# IKE only: port 500, and port 4500 with the non-ESP marker (4 zero bytes).
# 192.0.2.3 is the initiator's "decoy" address (ikev2-cookie-or-invalid-ke).
FILTER='(udp port 500 or (udp port 4500 and udp[8:4] = 0)) and not host 192.0.2.3'
ALL_SCENARIOS=(ikev2-psk ikev2-cert-frag ikev2-cookie-or-invalid-ke
               ikev1-main-psk ikev1-aggressive-psk)

log() { printf '[make-captures] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (network namespaces)"
for t in ip unshare tcpdump swanctl pki "$CHARON"; do
  command -v "$t" >/dev/null || die "missing tool: $t"
done

WORK=$(mktemp -d /tmp/osprey-captures.XXXXXX)
PIDS=()
CAP_PID=
WATCHDOG=

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  sleep 0.5
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  [ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2>/dev/null
  ip netns del "$NS_I" 2>/dev/null
  ip netns del "$NS_R" 2>/dev/null
  if [ -n "${KEEP_WORK:-}" ]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

# Watchdog: bound the whole run in time.
(
  trap 'kill "$sp" 2>/dev/null; exit 0' TERM
  sleep "$MAX_SECONDS" </dev/null >/dev/null 2>&1 & sp=$!
  wait "$sp" && { echo "[make-captures] watchdog: ${MAX_SECONDS}s elapsed" >&2; kill -TERM $$; }
) &
WATCHDOG=$!

# ---------------------------------------------------------------- network --
setup_net() {
  ip netns del "$NS_I" 2>/dev/null || true
  ip netns del "$NS_R" 2>/dev/null || true
  ip netns add "$NS_I"
  ip netns add "$NS_R"
  # IPv4 only: no link-local IPv6 address appearing mid-run (which makes
  # charon send MOBIKE address updates).
  local ns
  for ns in "$NS_I" "$NS_R"; do
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
  ip link add "$IF_I" netns "$NS_I" type veth peer name "$IF_R" netns "$NS_R"
  ip -n "$NS_I" link set lo up
  ip -n "$NS_R" link set lo up
  ip -n "$NS_I" addr add "$IP_I/24" dev "$IF_I"
  ip -n "$NS_R" addr add "$IP_R/24" dev "$IF_R"
  ip -n "$NS_I" addr add 192.0.2.3/24 dev "$IF_I"
  ip -n "$NS_I" link set "$IF_I" up
  ip -n "$NS_R" link set "$IF_R" up
  # An address inside each side's protected subnet (the source address of
  # the route that kernel-libipsec installs into its TUN device).
  ip -n "$NS_I" addr add 198.51.100.1/32 dev lo
  ip -n "$NS_R" addr add 203.0.113.1/32 dev lo
  # Default routes keep charon's source-address lookups happy.
  ip -n "$NS_I" route add default via "$IP_R" dev "$IF_I"
  ip -n "$NS_R" route add default via "$IP_I" dev "$IF_R"
}

# ---------------------------------------------------------------- capture --
start_capture() { # $1 = output pcap (in $WORK)
  local tlog=$WORK/tcpdump.log
  : >"$tlog"
  ip netns exec "$NS_I" tcpdump -i "$IF_I" --immediate-mode -U -n -s 0 -Z root -w "$1" "$FILTER" 2>"$tlog" &
  CAP_PID=$!
  PIDS+=("$CAP_PID")
  local i
  for i in $(seq 50); do
    grep -q 'listening on' "$tlog" && return 0
    sleep 0.1
  done
  die "tcpdump did not start: $(cat "$tlog")"
}

stop_capture() {
  sleep 1
  kill -INT "$CAP_PID" 2>/dev/null || true
  wait "$CAP_PID" 2>/dev/null || true
  CAP_PID=
}

# ----------------------------------------------------------------- charon --
declare -A CH_PID CH_DIR

start_charon() { # $1 = scenario, $2 = initiator|responder
  local sc=$1 role=$2 ns dir
  [ "$role" = initiator ] && ns=$NS_I || ns=$NS_R
  dir=$WORK/$sc-$role
  mkdir -p "$dir/run" "$dir/swanctl"/{x509,x509ca,x509ocsp,x509aa,x509ac,x509crl,pubkey,private,rsa,ecdsa,bliss,pkcs8,pkcs12}
  cp "$CONF/$sc/$role/swanctl.conf" "$dir/swanctl/swanctl.conf"
  # certificates/keys (certificate scenario): CA cert, own cert and key
  if [ -d "$CONF/$sc/pki" ]; then
    cp "$CONF/$sc/pki/ca.pem" "$dir/swanctl/x509ca/"
    cp "$CONF/$sc/pki/$role.pem" "$dir/swanctl/x509/"
    cp "$CONF/$sc/pki/$role.key" "$dir/swanctl/private/"
  fi
  ip netns exec "$ns" unshare -m --propagation private \
    sh -c 'mount --bind "$1" /run && exec env STRONGSWAN_CONF="$2" "$3"' \
    charon-sh "$dir/run" "$CONF/$sc/$role/strongswan.conf" "$CHARON" \
    >"$dir/charon.out" 2>&1 &
  CH_PID[$role]=$!
  CH_DIR[$role]=$dir
  PIDS+=("$!")
  local i
  for i in $(seq 100); do
    [ -S "$dir/run/charon.vici" ] && return 0
    sleep 0.1
  done
  die "charon ($sc/$role) did not start: $(cat "$dir/charon.out")"
}

stop_charons() {
  local r
  for r in initiator responder; do
    [ -n "${CH_PID[$r]:-}" ] || continue
    kill "${CH_PID[$r]}" 2>/dev/null || true
    wait "${CH_PID[$r]}" 2>/dev/null || true
    CH_PID[$r]=
  done
}

swan() { # $1 = role, rest = swanctl arguments
  local role=$1; shift
  local dir=${CH_DIR[$role]} sc
  sc=$(basename "$dir"); sc=${sc%-"$role"}
  SWANCTL_DIR=$dir/swanctl STRONGSWAN_CONF=$CONF/$sc/$role/strongswan.conf \
    timeout 40 swanctl "$@" --uri "unix://$dir/run/charon.vici"
}

# Key material from a charon log (format "TID[GRP] <conn|n> message", with
# %B chunks printed as "=> N bytes @ 0xADDR" and hex-dump lines after it).
# $1 = log, $2 = label, $3 = "keys" to keep derived secrets, "nokeys" for
# only the summary and the parsed nonces (the other side's values).
filter_keys() {
  awk -v label="$2" -v withkeys="$3" '
    function body(l) { sub(/^[0-9]+\[[A-Z]+\] (<[^>]*> )?/, "", l); return l }
    function tidof(l) { return substr(l, 1, index(l, "[") - 1) }
    function out(l) { sub(/ @ 0x[0-9a-f]+$/, "", l); print label ": " l }
    {
      t = tidof($0); b = body($0)
      if (b ~ /^ +[0-9]+: [0-9A-F][0-9A-F] /) { if (hex[t]) out($0); next }
      if (b ~ /^ +=> [0-9]+ bytes @/ && chunk[t]) { out($0); hex[t] = 1; chunk[t] = 0; next }
      hex[t] = 0
      if (b ~ /^parsing (NONCE|NONCE_V1) payload, /) {
        want[t] = b; sub(/^parsing /, "", want[t]); sub(/ payload, .*/, "", want[t]); next
      }
      if (b ~ /^parsing .* payload finished/) { want[t] = ""; next }
      if (want[t] != "" && b ~ /^ +parsing rule [0-9]+ CHUNK_DATA/) {
        print label ": " substr($0, 1, index($0, ">") + 1) "parsed " want[t] " payload data (peer value):"
        chunk[t] = 1; want[t] = ""; next
      }
      if (withkeys == "keys" && b ~ /^(shared Diffie Hellman secret|DH secret|SKEYSEED|SKEYID|SKEYID_[dae]|Sk_(d|ai|ar|ei|er|pi|pr) secret|(encryption|integrity) (initiator|responder) key|encryption key Ka|initial IV) =>/) {
        out($0); hex[t] = 1; next
      }
      if (b ~ /^(generating|parsed) [A-Z0-9_]+ (request|response) [0-9]+ \[/ ||
          b ~ /^(IKE_SA|CHILD_SA|inbound CHILD_SA|outbound CHILD_SA) .* (established|rekeyed)/ ||
          b ~ /^(initiating|sending DELETE|received DELETE|received (INVALID_KE_PAYLOAD|COOKIE)|selected proposal|sending DPD|sending XAUTH|XAUTH authentication|assigning virtual IP|installing new virtual IP|peer requested virtual IP|retrying|authentication of)/)
        print label ": " $0
    }' "$1"
}

# Chunks printed by both peers must agree (both derive the same keys).
check_keys_agree() { # $1 = initiator log, $2 = responder log
  local a b
  a=$(grep -A2 -E '\] <[^>]*> (SKEYSEED|SKEYID|Sk_d secret) =>' "$1" | grep -E '^\S+ <[^>]*> +[0-9]+:' | sed 's/^[^>]*> *//' | sort || true)
  b=$(grep -A2 -E '\] <[^>]*> (SKEYSEED|SKEYID|Sk_d secret) =>' "$2" | grep -E '^\S+ <[^>]*> +[0-9]+:' | sed 's/^[^>]*> *//' | sort || true)
  [ "$a" = "$b" ] || log "WARNING: initiator and responder key dumps differ"
}

finish_scenario() { # $1 = scenario
  local sc=$1
  stop_capture
  stop_charons
  cp "$WORK/$sc.pcap" "$OUT/$sc.pcap"
  local il=$WORK/$sc.initiator.log rl=$WORK/$sc.responder.log skip ids i
  # Drop the uncaptured decoy IKE_SA (ikev2-cookie-or-invalid-ke) from the logs.
  skip='<decoy[|]'
  ids=$(grep -oE '<[0-9]+> 192[.]0[.]2[.]3 is initiating' "${CH_DIR[responder]}/run/charon.log" | grep -oE '[0-9]+' | head -1 || true)
  for i in $ids; do skip="$skip|<$i>"; done
  grep -vE "$skip" "${CH_DIR[initiator]}/run/charon.log" >"$il" || true
  grep -vE "$skip" "${CH_DIR[responder]}/run/charon.log" >"$rl" || true
  check_keys_agree "$il" "$rl"
  {
    echo "# $sc: key material and exchange summary from charon 5.9.8 logs"
    echo "# charon filelog levels ike 4, chd 4, enc 3; filtered by make-captures.sh."
    echo "# initiator I = 192.0.2.1, responder R = 192.0.2.2. Lines start with the"
    echo "# peer, charon's thread id, log group and <conn|IKE_SA unique id>."
    echo "# Derived secrets (DH secret, SKEYSEED / SKEYID*, SK_*, CHILD_SA keys) are"
    echo "# taken from the initiator's log (the responder derives the same values;"
    echo "# the script checks this). 'parsed NONCE... payload data' lines are the"
    echo "# peer's nonce as that side decoded it (from both logs). KE public values"
    echo "# are not repeated (plaintext in IKE_SA_INIT / Main / Aggressive Mode)."
    echo "# Hex dumps are charon's %B format: offset, 16 bytes, ASCII."
    echo "# AES-GCM keys include the 4-byte salt at the end (KEYMAT = key | salt)."
    if command -v tshark >/dev/null; then
      echo "#"
      echo "# Messages in $sc.pcap (tshark): frame, src, dst, udp ports, exchange, MID, flags, SPIi, SPIr"
      tshark -r "$WORK/$sc.pcap" -T fields -E separator=' ' -e frame.number -e ip.src -e ip.dst \
        -e udp.srcport -e udp.dstport -e isakmp.exchangetype -e isakmp.messageid -e isakmp.flags \
        -e isakmp.ispi -e isakmp.rspi 2>/dev/null | sed 's/^/#   /' || true
    fi
    echo
    filter_keys "$il" I keys
    echo
    filter_keys "$rl" R nokeys
  } >"$OUT/$sc.keys.txt"
  # full logs are handy while debugging
  if [ -n "${KEEP_LOGS:-}" ]; then
    mkdir -p "$KEEP_LOGS"
    cp "${CH_DIR[initiator]}/run/charon.log" "$KEEP_LOGS/$sc.initiator.log"
    cp "${CH_DIR[responder]}/run/charon.log" "$KEEP_LOGS/$sc.responder.log"
  fi
  log "$sc: $(tcpdump -r "$OUT/$sc.pcap" -n 2>/dev/null | wc -l) packets -> $OUT/$sc.pcap"
}

begin_scenario() { # $1 = scenario
  log "=== $1"
  start_capture "$WORK/$1.pcap"
  start_charon "$1" responder
  start_charon "$1" initiator
  swan responder --load-all --noprompt >/dev/null
  swan initiator --load-all --noprompt >/dev/null
}

# -------------------------------------------------------------- scenarios --
sc_ikev2-psk() {
  local sc=ikev2-psk
  begin_scenario $sc
  swan initiator --initiate --child child1 --timeout 20 >/dev/null   # IKE_SA_INIT, IKE_AUTH
  swan initiator --initiate --child child2 --timeout 20 >/dev/null   # CREATE_CHILD_SA (new child)
  swan initiator --rekey --child child1 >/dev/null                   # CREATE_CHILD_SA (rekey) + INFORMATIONAL delete
  sleep 3                                                            # DPD: empty INFORMATIONAL
  swan initiator --rekey --ike psk >/dev/null                        # CREATE_CHILD_SA (IKE rekey) + delete old IKE SA
  sleep 2
  swan initiator --terminate --ike psk --timeout 20 >/dev/null       # INFORMATIONAL delete
  finish_scenario $sc
}

# Test PKI for ikev2-cert-frag: 4096-bit RSA CA and end-entity certificates.
# Made once with strongSwan's pki and kept in conf/ (test-only keys), so a
# re-run reuses them; delete conf/ikev2-cert-frag/pki/ to make new ones.
make_pki() {
  local d=$CONF/ikev2-cert-frag/pki who
  [ -s "$d/ca.pem" ] && [ -s "$d/initiator.pem" ] && [ -s "$d/responder.pem" ] && return 0
  log "generating 4096-bit RSA test PKI in $d"
  mkdir -p "$d"
  local STRONGSWAN_CONF=$CONF/strongswan-base.conf   # its pki { load = ... }
  export STRONGSWAN_CONF
  pki --gen --type rsa --size 4096 --outform pem >"$d/ca.key"
  pki --self --ca --lifetime 7300 --in "$d/ca.key" --type rsa \
      --dn "C=XX, O=osprey test, CN=osprey test CA" --outform pem >"$d/ca.pem"
  for who in initiator responder; do
    pki --gen --type rsa --size 4096 --outform pem >"$d/$who.key"
    pki --pub --in "$d/$who.key" --type rsa |
      pki --issue --lifetime 7300 --cacert "$d/ca.pem" --cakey "$d/ca.key" \
          --dn "C=XX, O=osprey test, CN=$who.example" --san "$who.example" \
          --flag serverAuth --flag clientAuth --outform pem >"$d/$who.pem"
  done
}

sc_ikev2-cert-frag() {
  local sc=ikev2-cert-frag
  make_pki
  begin_scenario $sc
  swan initiator --initiate --child child1 --timeout 30 >/dev/null   # IKE_SA_INIT, IKE_AUTH (SKF fragments)
  swan initiator --terminate --ike cert --timeout 20 >/dev/null      # INFORMATIONAL delete
  finish_scenario $sc
}

sc_ikev2-cookie-or-invalid-ke() {
  local sc=ikev2-cookie-or-invalid-ke
  begin_scenario $sc
  # A half-open IKE_SA on the responder (from 192.0.2.3, not captured) so
  # that its cookie_threshold = 1 is reached: the initiator has no PSK for
  # the decoy identity, so it abandons that IKE_SA after IKE_SA_INIT.
  swan initiator --initiate --ike decoy --timeout 10 >/dev/null 2>&1 || true
  # IKE_SA_INIT: COOKIE round trip, INVALID_KE_PAYLOAD round trip, retry; IKE_AUTH
  swan initiator --initiate --child child1 --timeout 30 >/dev/null
  swan initiator --terminate --ike ke --timeout 20 >/dev/null
  finish_scenario $sc
}

sc_ikev1-main-psk() {
  local sc=ikev1-main-psk
  begin_scenario $sc
  swan initiator --initiate --child child1 --timeout 30 >/dev/null   # Main Mode (6) + Quick Mode (3)
  swan initiator --rekey --child child1 >/dev/null                   # second Quick Mode, Informational delete
  sleep 3                                                            # DPD R-U-THERE / ACK
  swan initiator --terminate --ike v1main --timeout 20 >/dev/null    # Informational deletes (ESP + ISAKMP)
  finish_scenario $sc
}

sc_ikev1-aggressive-psk() {
  local sc=ikev1-aggressive-psk
  begin_scenario $sc
  # Aggressive Mode (3), XAUTH (Transaction), Mode Config (Transaction), Quick Mode (3)
  swan initiator --initiate --child child1 --timeout 30 >/dev/null
  swan initiator --terminate --ike v1aggr --timeout 20 >/dev/null
  finish_scenario $sc
}

# ------------------------------------------------------------------- main --
setup_net
if [ $# -eq 0 ]; then set -- "${ALL_SCENARIOS[@]}"; fi
for s in "$@"; do
  declare -F "sc_$s" >/dev/null || die "unknown scenario: $s"
  "sc_$s"
done
log "done"
