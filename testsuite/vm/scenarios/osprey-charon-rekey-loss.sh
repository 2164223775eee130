# Rekeys without packet loss against strongSwan's charon: gwa runs ospreyd,
# gwb charon; net-to-net tunnel, ESP aes128gcm16 with PFS (x25519); hosta
# pings hostb every 10 ms while the CHILD SA is rekeyed by ospreyd, by
# charon, and the IKE SA by each.  Passes when every ping
# is answered and every rekey happened.  (osprey-rekey-loss: ospreyd on
# both sides.)
#
#   hosta 10.1.0.2 --- gwa 192.0.2.1 ==wire== 192.0.2.2 gwb --- 10.2.0.2 hostb
# vm-timeout: 240
. "$(dirname "$0")/../lib.sh"
OSPREYD=${OSPREYD:-$OSPREY_TOP/daemon/ospreyd}
OSPREYCTL=${OSPREYCTL:-$OSPREY_TOP/daemon/ospreyctl}
require ip ping swanctl "$CHARON" "$OSPREYD" "$OSPREYCTL"

log "topology"
ns_add gwa gwb
wire wire gwa wan 192.0.2.1/24 gwb wan 192.0.2.2/24
subnet_host gwa lan 10.1.0.1/24 hosta eth0 10.1.0.2/24
subnet_host gwb lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
forwarding gwa gwb

PSK=osprey-vm-test-bed-pre-shared-key
mkdir -p "$W/gwa"
cat >"$W/gwa/osprey.conf" <<EOC
kernel = { backend = "xfrm"; };
logging = { default = "info"; };
connections = { net = {
  local_addrs = "192.0.2.1"; remote_addrs = "192.0.2.2";
  proposals = "aes128gcm16-prfsha256-x25519";
  local = { auth = "psk"; id = "gwa.osprey.test"; };
  remote = { auth = "psk"; id = "gwb.osprey.test"; };
  children = { net = { local_ts = "10.1.0.0/24"; remote_ts = "10.2.0.0/24";
    esp_proposals = "aes128gcm16-x25519"; }; };
}; };
secrets = { ike-gw = { id = [ "gwa.osprey.test", "gwb.osprey.test" ]; secret = "$PSK"; }; };
EOC
charon_conf gwb
charon_psk_conf $'esp_proposals = aes128gcm16-x25519\nstart_action = none'
octl() { "$OSPREYCTL" --socket "$W/gwa/ctl" "$@"; }
nsas() { nsx "$1" ip xfrm state | grep -c '^src'; }
settle() { wait_for 30 "2 SAs per gateway again" sh -c \
	"[ \$(ip netns exec gwa ip xfrm state | grep -c '^src') = 2 ] &&
	 [ \$(ip netns exec gwb ip xfrm state | grep -c '^src') = 2 ]"; }

log "daemons"
bg ip netns exec gwa "$OSPREYD" -c "$W/gwa/osprey.conf" -s "$W/gwa/ctl" -p "$W/gwa/pid" \
	--user root >"$W/gwa/ospreyd.log" 2>&1
charon_start gwb
swan_load gwb
wait_for 30 "ospreyd in gwa" test -S "$W/gwa/ctl"
wait_udp gwa 500
wait_udp gwb 500

log "ospreyd initiates"
octl initiate net || fail "ospreyctl initiate"
wait_for 40 "SAs in both kernels" sh -c \
	"[ \$(ip netns exec gwa ip xfrm state | grep -c '^src') -ge 2 ] &&
	 [ \$(ip netns exec gwb ip xfrm state | grep -c '^src') -ge 2 ]"
ping_ok hosta 10.2.0.2 3

log "ping every 10 ms through the rekeys"
nsx hosta ping -n -i 0.01 -W 2 -w 75 10.2.0.2 >"$W/ping.log" 2>&1 &
PING=$!
sleep 3
log "CHILD rekey by ospreyd"; octl rekey --child net || fail "ospreyctl rekey --child"
sleep 7; settle
log "CHILD rekey by charon"; swan gwb --rekey --child net >/dev/null || fail "swanctl --rekey"
sleep 7; settle
# Not here: a CHILD rekey by both at once. Against charon it sometimes
# ends with ospreyd answering CHILD_SA_NOT_FOUND to charon's REKEY_SA and
# charon making a second CHILD SA (lib/ikev2/STATUS.md, known bugs);
# osprey-rekey-loss covers the collision between two ospreyd.
log "IKE rekey by ospreyd"; octl rekey net || fail "ospreyctl rekey"
sleep 4
log "IKE rekey by charon"; swan gwb --rekey --ike net >/dev/null || fail "swanctl --rekey --ike"
sleep 4
log "CHILD rekey by charon after the IKE rekeys"
swan gwb --rekey --child net >/dev/null || fail "swanctl --rekey"
sleep 7; settle
wait $PING
tail -3 "$W/ping.log"
grep -E 'rekey|installed|collision' "$W/gwa/ospreyd.log" | sed 's/^/    gwa: /' | tail -20
sent=$(awk '/packets transmitted/ { print $1 }' "$W/ping.log")
got=$(awk '/packets transmitted/ { print $4 }' "$W/ping.log")
log "pings: $sent sent, $got answered"
[ -n "$sent" ] && [ "$sent" -gt 1000 ] || fail "too few pings ($sent)"
[ "$sent" = "$got" ] || fail "$((sent - got)) of $sent pings lost across the rekeys"
n=$(grep -c 'CHILD_SA {[0-9]*} rekeyed' "$W/gwa/ospreyd.log")
[ "$n" -ge 3 ] || fail "$n CHILD rekeys in ospreyd's log, not 3 (a lost collision logs none)"
[ "$(grep -c 'IKE_SA .*rekeyed' "$W/gwa/ospreyd.log")" -ge 2 ] || fail "fewer than 2 IKE rekeys"
log "pass"
