# testsuite/vm/lib.sh: helpers for the scenarios that testsuite/vm/run starts
# inside the test VM. A scenario is a bash script that sources this file:
#
#   . "$(dirname "$0")/../lib.sh"
#
# and then exits 0 (pass), 77 after `skip REASON`, or anything else (fail;
# `fail REASON` says why). The last lines of its output become the VM-FAIL
# reason on the host, the whole output is testsuite/vm/results/NAME.log.
#
# Everything a scenario makes is torn down by an EXIT trap: the namespaces
# it added, the processes it started, and its work directory $W is copied
# to testsuite/vm/results/NAME.d/ so that captures and daemon logs survive.
# The guest runner also resets the VM between scenarios (kills leftover
# processes, deletes every namespace, flushes XFRM state).
#
# Traffic stays inside the namespaces a scenario creates.

set -uo pipefail
# testsuite/vm, and the top of the osprey tree: the guest sees the host's
# files at the same paths, so binaries built on the host run from there.
VMLIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OSPREY_TOP=$(cd "$VMLIB_DIR/../.." && pwd)
export VMLIB_DIR OSPREY_TOP
VM_T0=$(date +%s%N)
W=$(mktemp -d /tmp/osprey-vm.XXXXXX)
VM_NETNS=()
VM_PIDS=()

# ------------------------------------------------------------- reporting

log() { # log MSG: timestamped progress line
	local ms=$((($(date +%s%N) - VM_T0) / 1000000))
	printf '[%3d.%03d] %s\n' $((ms / 1000)) $((ms % 1000)) "$*"
}
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }

require() { # require CMD...: skip the scenario when a tool is missing
	local c
	for c in "$@"; do
		[ -x "$c" ] || command -v "$c" >/dev/null 2>&1 ||
			skip "$c is not installed on the host (testsuite/vm/setup installs it)"
	done
}

in_vm() { # refuses to run anywhere but inside the test VM
	[ "${OSPREY_VM:-}" = 1 ] || fail "run scenarios with testsuite/vm/run, not directly"
}
in_vm

# ------------------------------------------------------------- cleanup

vm_cleanup() {
	local rc=$? p ns
	set +e
	for p in ${VM_PIDS[@]+"${VM_PIDS[@]}"}; do kill "$p" 2>/dev/null; done
	sleep 0.2
	for p in ${VM_PIDS[@]+"${VM_PIDS[@]}"}; do kill -9 "$p" 2>/dev/null; done
	for ns in ${VM_NETNS[@]+"${VM_NETNS[@]}"}; do ip netns delete "$ns" 2>/dev/null; done
	if [ -n "${OSPREY_VM_KEEP:-}" ] && [ -d "$OSPREY_VM_KEEP" ]; then
		# tar skips the sockets; one process pair instead of one per file
		tar -C "$W" -cf - --exclude='*.vici' . 2>/dev/null | tar -C "$OSPREY_VM_KEEP" -xf - 2>/dev/null
	fi
	rm -rf "$W"
	log "exit $rc"
	exit $rc
}
trap vm_cleanup EXIT
trap 'exit 143' TERM INT

bg() { # bg CMD...: start CMD in the background, killed at exit; sets $!
	"$@" &
	VM_PIDS+=($!)
}

wait_for() { # wait_for SECONDS WHAT CMD...: poll CMD every 0.1 s until it succeeds
	local secs=$1 what=$2 end
	shift 2
	end=$(($(date +%s) + secs))
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt $end ] || fail "timed out after ${secs}s waiting for $what"
		sleep 0.1
	done
}

# ------------------------------------------------------------- topology

ns_add() { # ns_add NAME...: network namespaces with loopback up
	local ns
	for ns in "$@"; do
		ip netns add "$ns" || fail "ip netns add $ns"
		VM_NETNS+=("$ns")
		ip -n "$ns" link set lo up
	done
}

nsx() { # nsx NS CMD...: run CMD in namespace NS
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

link() { # link NS1 IF1 ADDR1 NS2 IF2 ADDR2: a veth pair between two namespaces
	# ADDRs are CIDR (10.0.0.1/24 or fd00::1/64), "-" for none; more can be
	# added with `addr`. (Each command costs ~0.1 s under TCG: they are batched.)
	local ns1=$1 if1=$2 a1=$3 ns2=$4 if2=$5 a2=$6
	ip link add "$if1" netns "$ns1" type veth peer name "$if2" netns "$ns2" ||
		fail "veth $ns1/$if1 - $ns2/$if2"
	ip -n "$ns1" -batch - <<<"$(_addr_cmd "$if1" "$a1")
link set dev $if1 up" || fail "addresses on $ns1/$if1"
	ip -n "$ns2" -batch - <<<"$(_addr_cmd "$if2" "$a2")
link set dev $if2 up" || fail "addresses on $ns2/$if2"
}

_addr_cmd() { # _addr_cmd IF ADDR: the `ip` command that adds ADDR ("-": none)
	case $2 in
	-) ;;
	*:*) echo "addr add $2 dev $1 nodad" ;;
	*) echo "addr add $2 dev $1" ;;
	esac
}

wire() { # wire WIRENS NS1 IF1 ADDR1 NS2 IF2 ADDR2: a link through an observer
	# Like `link`, but each end is a veth pair into namespace WIRENS, where a
	# bridge "br0" joins them. A capture on br0 sees exactly the frames that
	# crossed the link: a capture on a receiving endpoint's own interface also
	# shows packets that its kernel decapsulated (ESP input re-injects the
	# inner packet on the same device), which is not what was on the wire.
	local w=$1 ns1=$2 if1=$3 a1=$4 ns2=$5 if2=$6 a2=$7
	ns_add "$w"
	ip -n "$w" link add br0 type bridge || fail "bridge in $w"
	ip -n "$w" link set dev br0 up
	link "$ns1" "$if1" "$a1" "$w" "$ns1" -
	link "$ns2" "$if2" "$a2" "$w" "$ns2" -
	ip -n "$w" link set dev "$ns1" master br0
	ip -n "$w" link set dev "$ns2" master br0
}

addr() { # addr NS IF ADDR/LEN (IPv6 without duplicate address detection)
	ip -n "$1" $(_addr_cmd "$2" "$3") || fail "ip addr add $3 dev $2 in $1"
}

route() { # route NS ARGS...: ip route add ARGS in NS
	local ns=$1
	shift
	ip -n "$ns" route add "$@" || fail "ip route add $* in $ns"
}

forwarding() { # forwarding NS...: make the namespaces routers
	local ns
	for ns in "$@"; do
		nsx "$ns" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	done
}

subnet_host() { # subnet_host GWNS GWIF GWADDR HOSTNS HOSTIF HOSTADDR
	# A namespace HOSTNS standing for a host on a subnet behind the gateway
	# GWNS, linked to it, with its default route via GWADDR.
	ns_add "$4"
	link "$1" "$2" "$3" "$4" "$5" "$6"
	route "$4" default via "${3%/*}"
}

# ------------------------------------------------------------- strongSwan charon

CHARON=${CHARON:-/usr/lib/ipsec/charon}
# Enough for PSK and certificates with modern algorithms; the kernel does ESP.
CHARON_PLUGINS=${CHARON_PLUGINS:-"random nonce openssl kdf hmac sha1 sha2 aes gcm curve25519 x509 pubkey pem pkcs1 revocation constraints kernel-netlink socket-default vici"}
SWANCTL_PLUGINS="random nonce openssl pem pkcs1 x509 pubkey"

charon_dir() { echo "$W/charon-$1"; } # charon_dir NS: config and logs of NS's instance

charon_conf() { # charon_conf NS [EXTRA-strongswan.conf-charon-section-lines]
	# Writes NS's strongswan.conf; swanctl.conf is the scenario's to write to
	# "$(charon_dir NS)/swanctl.conf".
	local d
	d=$(charon_dir "$1")
	mkdir -p "$d/run"
	cat >"$d/strongswan.conf" <<-EOF
		charon {
		  load = $CHARON_PLUGINS
		  load_modular = no
		  filelog {
		    charon {
		      path = $d/charon.log
		      time_format = %T
		      ike_name = yes
		      default = 1
		      ike = 2
		      cfg = 2
		      knl = 2
		      flush_line = yes
		    }
		  }
		  syslog {
		    daemon {
		      default = -1
		    }
		  }
		  plugins {
		    vici {
		      socket = unix://$d/charon.vici
		    }
		  }
		  ${2:-}
		}
		swanctl {
		  load = $SWANCTL_PLUGINS
		}
	EOF
}

charon_start() { # charon_start NS...: start charon in each NS, wait until all answer
	# Each instance gets a private mount namespace with its own /run (the pid
	# file /var/run/charon.pid is compiled in) and its own STRONGSWAN_CONF.
	local ns d
	require "$CHARON" swanctl
	for ns in "$@"; do
		d=$(charon_dir "$ns")
		[ -f "$d/strongswan.conf" ] || charon_conf "$ns"
		bg ip netns exec "$ns" unshare -m sh -c \
			'mount --bind "$1/run" /run && STRONGSWAN_CONF="$1/strongswan.conf" exec "$2"' \
			charon "$d" "$CHARON" >"$d/charon.stdout" 2>&1
	done
	for ns in "$@"; do
		d=$(charon_dir "$ns")
		# a cheap test first: each swanctl run costs ~0.3 s of CPU under TCG
		wait_for 30 "charon in $ns to open its vici socket" test -S "$d/charon.vici"
		wait_for 30 "charon in $ns to answer on vici" swan "$ns" --stats
		log "charon up in $ns"
	done
}

charon_psk_conf() { # charon_psk_conf [CHILD-LINES]: gwb's swanctl.conf
	# The peer of osprey_psk_conf's gwa: conn and child "net" between the
	# subnets of osprey_gateways, PSK, IKE aes128gcm16-prfsha256-x25519, no
	# NAT-T forcing, no MOBIKE; CHILD-LINES (default: ESP aes128gcm16) go
	# into the child.
	cat >"$(charon_dir gwb)/swanctl.conf" <<-EOF
		connections {
		  net {
		    version = 2
		    local_addrs = 192.0.2.2
		    remote_addrs = 192.0.2.1
		    proposals = aes128gcm16-prfsha256-x25519
		    encap = no
		    mobike = no
		    local { auth = psk
		      id = gwb.osprey.test }
		    remote { auth = psk
		      id = gwa.osprey.test }
		    children {
		      net {
		        local_ts = 10.2.0.0/24
		        remote_ts = 10.1.0.0/24
		        ${1:-esp_proposals = aes128gcm16}
		      }
		    }
		  }
		}
		secrets {
		  ike-peers {
		    id-a = gwa.osprey.test
		    id-b = gwb.osprey.test
		    secret = "osprey-vm-test-bed-pre-shared-key"
		  }
		}
	EOF
}

swan() { # swan NS ARGS...: swanctl talking to NS's charon
	local ns=$1 d
	shift
	d=$(charon_dir "$ns")
	# swanctl takes the command first, then its options
	STRONGSWAN_CONF="$d/strongswan.conf" nsx "$ns" swanctl "$@" --uri "unix://$d/charon.vici"
}

swan_load() { # swan_load NS: load NS's swanctl.conf (credentials and connections)
	local d
	d=$(charon_dir "$1")
	swan "$1" --load-all --noprompt --file "$d/swanctl.conf" >"$d/load.log" 2>&1 ||
		{ cat "$d/load.log"; fail "swanctl --load-all in $1"; }
}

# ------------------------------------------------------------- sockets

udp_bound() { # udp_bound NS PORT: is something listening on UDP PORT in NS?
	[ -n "$(nsx "$1" ss -Hunl "sport = :$2")" ]
}

wait_udp() { # wait_udp NS PORT [SECONDS]
	wait_for "${3:-20}" "UDP port $2 to be bound in $1" udp_bound "$1" "$2"
}

# ------------------------------------------------------------- captures

capture_start() { # capture_start NS IF NAME [FILTER...]: tcpdump into $W/NAME.pcap
	local ns=$1 ifc=$2 name=$3
	shift 3
	require tcpdump
	bg ip netns exec "$ns" tcpdump -i "$ifc" -n -U --immediate-mode -s 256 -w "$W/$name.pcap" "$@" 2>"$W/$name.tcpdump.log"
	eval "CAPTURE_PID_$name=$!"
	wait_for 20 "tcpdump on $ns/$ifc to start" grep -q 'listening on' "$W/$name.tcpdump.log"
}

capture_stop() { # capture_stop NAME: stop the capture, its packets flushed
	local pid
	eval "pid=\${CAPTURE_PID_$1:-}"
	[ -n "$pid" ] || return 0
	sleep 0.3 # packets already on the wire reach the socket
	kill -INT "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	eval "CAPTURE_PID_$1="
}

capture_count() { # capture_count NAME FILTER...: packets in NAME.pcap that match
	tcpdump -r "$W/$1.pcap" -n "${@:2}" 2>/dev/null | wc -l
}

capture_show() { # capture_show NAME [N]: the first N packets, for the log
	tcpdump -r "$W/$1.pcap" -n 2>/dev/null | head -"${2:-20}"
}

assert_esp_no_plain() { # assert_esp_no_plain NAME MIN_ESP [CLEARTEXT-FILTER]
	# The capture has at least MIN_ESP ESP packets (plain or in UDP 4500) and
	# not one packet that matches CLEARTEXT-FILTER (default: ICMP echo, v4 or v6;
	# give the protected subnets, e.g. "net 10.1.0.0/24 or net 10.2.0.0/24",
	# to catch any leak).
	local name=$1 min=$2 filter=${3:-"icmp or (icmp6 and (ip6[40] == 128 or ip6[40] == 129))"} esp plain
	esp=$(capture_count "$name" 'esp or (udp port 4500 and udp[8:4] != 0)')
	plain=$(capture_count "$name" "$filter")
	log "capture $name: $esp ESP packets, $plain cleartext packets matching '$filter'"
	if [ "$plain" != 0 ] || [ "$esp" -lt "$min" ]; then
		capture_show "$name" 40
		[ "$plain" = 0 ] || fail "cleartext on the wire in capture $name: $plain packets match '$filter'"
		fail "capture $name has $esp ESP packets, expected at least $min"
	fi
}

# ------------------------------------------------------------- XFRM state

xfrm_counters() { # xfrm_counters NS: one line per SA: "SRC DST SPI BYTES PACKETS"
	nsx "$1" ip -s xfrm state | awk '
		/^src / { src = $2; dst = $4 }
		/proto (esp|ah|comp) spi/ {
			for (i = 1; i <= NF; i++) if ($i == "spi") spi = $(i + 1)
			sub(/\(.*/, "", spi)
		}
		/\(bytes\), .*\(packets\)/ {
			b = $1; p = $2; sub(/\(bytes\),?/, "", b); sub(/\(packets\)/, "", p)
			print src, dst, spi, b, p
		}'
}

xfrm_total() { # xfrm_total NS: "BYTES PACKETS" summed over NS's SAs
	xfrm_counters "$1" | awk '{ b += $4; p += $5 } END { print b + 0, p + 0 }'
}

assert_xfrm_rise() { # assert_xfrm_rise NS BEFORE("BYTES PACKETS", from xfrm_total) [MIN_PACKETS]
	# NS has at least 2 SAs, every one of them counted packets, and NS's
	# totals rose by MIN_PACKETS (default 1) or more.
	local ns=$1 before=$2 min=${3:-1} sas b0 p0 b1 p1
	sas=$(xfrm_counters "$ns")
	read -r b0 p0 <<<"$before"
	read -r b1 p1 < <(awk '{ b += $4; p += $5 } END { print b + 0, p + 0 }' <<<"$sas")
	log "xfrm counters in $ns: bytes $b0 -> $b1, packets $p0 -> $p1"
	sed 's/^/    /' <<<"$sas"
	[ "$(grep -c . <<<"$sas")" -ge 2 ] || fail "$ns has fewer than 2 SAs"
	[ $((p1 - p0)) -ge "$min" ] && [ "$b1" -gt "$b0" ] ||
		fail "$ns: xfrm counters did not rise by $min packets (bytes $b0 -> $b1, packets $p0 -> $p1)"
	! awk '$5 == 0 { z = 1 } END { exit !z }' <<<"$sas" || fail "$ns has an SA that carried no packet"
}

# ------------------------------------------------------------- traffic

ping_ok() { # ping_ok NS DST [COUNT [PING-OPTIONS...]]: COUNT (3) pings, all answered
	local ns=$1 dst=$2 n=${3:-3} out
	shift $(($# < 3 ? $# : 3))
	# -W 5: a reply can be slow when the host is busy (TCG)
	out=$(nsx "$ns" ping -n -c "$n" -i 0.2 -W 5 "$@" "$dst" 2>&1)
	tail -2 <<<"$out"
	grep -q " $n received, 0% packet loss" <<<"$out" ||
		fail "ping $dst from $ns: not every ping answered"
}

# ------------------------------------------------------------- ospreyd
# One ospreyd per namespace NS: its files in $W/NS/ (osprey.conf, written by
# the scenario; ctl, pid, ospreyd.log), its process id in $OSPREYD_PID_NS.

OSPREYD=${OSPREYD:-$OSPREY_TOP/daemon/ospreyd}
OSPREYCTL=${OSPREYCTL:-$OSPREY_TOP/daemon/ospreyctl}
OSPREY_PKI=${OSPREY_PKI:-$OSPREY_TOP/lib/crypto/osprey-pki}

ospreyd_start() { # ospreyd_start NS...: start ospreyd in each NS, wait until it serves
	local ns
	for ns in "$@"; do
		"$OSPREYD" --check-config -c "$W/$ns/osprey.conf" >"$W/$ns/check.log" 2>&1 ||
			{ cat "$W/$ns/check.log"; fail "configuration of $ns"; }
		rm -f "$W/$ns/ctl"
		bg ip netns exec "$ns" "$OSPREYD" -c "$W/$ns/osprey.conf" -s "$W/$ns/ctl" \
			-p "$W/$ns/pid" --user root >>"$W/$ns/ospreyd.log" 2>&1
		eval "OSPREYD_PID_$ns=$!"
	done
	for ns in "$@"; do
		wait_for 30 "ospreyd in $ns" test -S "$W/$ns/ctl"
		wait_udp "$ns" 500
	done
}

octl_ns() { # octl_ns NS ARGS...: ospreyctl talking to NS's ospreyd
	local ns=$1
	shift
	"$OSPREYCTL" --socket "$W/$ns/ctl" "$@"
}

ospreyd_stop() { # ospreyd_stop NS...: SIGTERM, exit status 0, no osprey state left
	local ns pid rc
	for ns in "$@"; do
		eval "pid=\${OSPREYD_PID_$ns:-}"
		[ -n "$pid" ] || continue
		kill -TERM "$pid"
		wait "$pid"
		rc=$?
		eval "OSPREYD_PID_$ns="
		[ "$rc" = 0 ] || { tail -20 "$W/$ns/ospreyd.log"; fail "ospreyd in $ns exited $rc"; }
		osprey_nothing_left "$ns" && ! nsx "$ns" ip rule | grep -c 'proto 111' >/dev/null ||
			{ nsx "$ns" ip xfrm state; nsx "$ns" ip xfrm policy; nsx "$ns" ip rule;
			  fail "osprey state left in $ns after the stop"; }
	done
}

ospreyd_kill9() { # ospreyd_kill9 NS: SIGKILL NS's ospreyd (its kernel state stays)
	local pid
	eval "pid=\${OSPREYD_PID_$1:-}"
	[ -n "$pid" ] || fail "no ospreyd running in $1"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	eval "OSPREYD_PID_$1="
}

osprey_xfrm() { # osprey_xfrm NS state|policy: how many of osprey's (reqid 0x6f000000-0x6fffffff)
	nsx "$1" ip xfrm "$2" | awk '/reqid/ { for (i = 1; i <= NF; i++) if ($i == "reqid" &&
		$(i + 1) >= 1862270976 && $(i + 1) <= 1879048191) n++ } END { print n + 0 }'
}

osprey_nothing_left() { # osprey_nothing_left NS: no osprey SA, policy or route in NS
	# (the rule that looks up osprey's table stays while ospreyd runs)
	[ "$(osprey_xfrm "$1" state)" = 0 ] && [ "$(osprey_xfrm "$1" policy)" = 0 ] &&
		! nsx "$1" ip route show table all | grep -c 'proto 111' >/dev/null
}

# SAs of CHILD SAs only: not the SPIs allocated for a negotiation under way
# (reqid 0x6f000000 itself, plugins/kernel-xfrm/STATUS.md).
osprey_child_sas() { # osprey_child_sas NS: how many
	nsx "$1" ip xfrm state | awk '/reqid/ { for (i = 1; i <= NF; i++) if ($i == "reqid" &&
		$(i + 1) > 1862270976 && $(i + 1) <= 1879048191) n++ } END { print n + 0 }'
}
osprey_sas_up() { # osprey_sas_up NS...: each NS has at least one CHILD SA pair
	local ns
	for ns in "$@"; do [ "$(osprey_xfrm "$ns" state)" -ge 2 ] || return 1; done
}
osprey_no_child_sas() { # osprey_no_child_sas NS...: no CHILD SA of osprey in any NS
	local ns
	for ns in "$@"; do [ "$(osprey_child_sas "$ns")" = 0 ] || return 1; done
}
osprey_no_sas() { # osprey_no_sas NS...: no osprey SA at all (not even an allocated SPI)
	local ns
	for ns in "$@"; do [ "$(osprey_xfrm "$ns" state)" = 0 ] || return 1; done
}
osprey_policies_ge() { [ "$(osprey_xfrm "$1" policy)" -ge "$2" ]; } # osprey_policies_ge NS N
osprey_log_has() { grep -qE "$2" "$W/$1/ospreyd.log"; } # osprey_log_has NS REGEX
osprey_dump() { # osprey_dump NS...: logs and kernel state, for a failure
	local ns
	for ns in "$@"; do
		echo "---- $ns: ospreyd.log (tail)"
		tail -25 "$W/$ns/ospreyd.log"
		echo "---- $ns: xfrm"
		nsx "$ns" ip xfrm state | grep -E '^src|proto|reqid|mark|if_id'
		nsx "$ns" ip xfrm policy
	done
}
# A PSK for the gateways gwa and gwb (identities gwa.osprey.test, gwb.osprey.test).
OSPREY_PSK_SECRETS='secrets = { ike-gw = { id = [ "gwa.osprey.test", "gwb.osprey.test" ];
  secret = "osprey-vm-test-bed-pre-shared-key"; }; };'

osprey_gateways() { # the usual net-to-net topology, traffic between hosta and hostb:
	#   hosta 10.1.0.2 --- 10.1.0.1 gwa 192.0.2.1 ==wire== 192.0.2.2 gwb 10.2.0.1 --- 10.2.0.2 hostb
	ns_add gwa gwb
	wire wire gwa wan 192.0.2.1/24 gwb wan 192.0.2.2/24
	subnet_host gwa lan 10.1.0.1/24 hosta eth0 10.1.0.2/24
	subnet_host gwb lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
	forwarding gwa gwb
}

traffic_both_ways() { # traffic_both_ways WHO: 3 pings each way between hosta and
	# hostb of osprey_gateways; the counters rise on both gateways
	local ba bb
	ba=$(xfrm_total gwa)
	bb=$(xfrm_total gwb)
	ping_ok hosta 10.2.0.2 3
	ping_ok hostb 10.1.0.2 3
	assert_xfrm_rise gwa "$ba" 12
	assert_xfrm_rise gwb "$bb" 12
	log "$1: traffic passed"
}

osprey_psk_conf() { # osprey_psk_conf NS CHILD-SETTINGS [CONN-SETTINGS]
	# $W/NS/osprey.conf for gateway gwa or gwb of osprey_gateways: conn and
	# child "net" between the two subnets, PSK, kernel-xfrm, IKE
	# aes128gcm16-prfsha256-x25519, plus the given settings.
	local me=$1 peer addr paddr net pnet
	if [ "$me" = gwa ]; then peer=gwb addr=192.0.2.1 paddr=192.0.2.2 net=10.1.0.0/24 pnet=10.2.0.0/24
	else peer=gwa addr=192.0.2.2 paddr=192.0.2.1 net=10.2.0.0/24 pnet=10.1.0.0/24; fi
	mkdir -p "$W/$me"
	cat >"$W/$me/osprey.conf" <<-EOF
		kernel = { backend = "xfrm"; };
		logging = { default = "info"; kernel = "debug"; };
		connections = {
		  net = {
		    local_addrs = "$addr"; remote_addrs = "$paddr";
		    proposals = "aes128gcm16-prfsha256-x25519";
		    ${3:-}
		    local = { auth = "psk"; id = "$me.osprey.test"; };
		    remote = { auth = "psk"; id = "$peer.osprey.test"; };
		    children = { net = { local_ts = "$net"; remote_ts = "$pnet"; $2 }; };
		  };
		};
		$OSPREY_PSK_SECRETS
	EOF
}

xfrm_spis() { # xfrm_spis NS: the SPIs of NS's SAs, sorted, on one line
	nsx "$1" ip xfrm state | awk '/proto (esp|ah) spi/ { for (i = 1; i <= NF; i++)
		if ($i == "spi") print $(i + 1) }' | sort | tr '\n' ' '
}

# ------------------------------------------------------------- certificates
# Made at run time (no private key is committed): ECDSA P-256, cheap under TCG.

pki_ca() { # pki_ca DIR: DIR/ca.key, DIR/ca.crt ("CN=osprey VM CA")
	mkdir -p "$1"
	"$OSPREY_PKI" key --type ecdsa --size 256 --out "$1/ca.key" &&
		"$OSPREY_PKI" self --key "$1/ca.key" --dn "C=CH, O=osprey test, CN=osprey VM CA" \
			--out "$1/ca.crt" || fail "osprey-pki: CA"
}

pki_cert() { # pki_cert DIR NAME: DIR/NAME.key, DIR/NAME.crt issued by DIR/ca, SAN DNS NAME
	"$OSPREY_PKI" key --type ecdsa --size 256 --out "$1/$2.key" &&
		"$OSPREY_PKI" issue --key "$1/$2.key" --cakey "$1/ca.key" --cacert "$1/ca.crt" \
			--dn "C=CH, O=osprey test, CN=$2" --san "$2" --out "$1/$2.crt" ||
		fail "osprey-pki: certificate for $2"
}

osprey_ike_spis() { # osprey_ike_spis NS: "SPIi/SPIr" of each IKE SA of NS's ospreyd, one line
	octl_ns "$1" --json list-sas 2>/dev/null | grep -o '"spi_[ir]": *"[0-9a-f]*"' |
		sed 's/.*: *"\(.*\)"/\1/' | paste -d/ - - | sort | tr '\n' ' '
}
