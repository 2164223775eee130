# Rekeying under traffic on a real ESP data path: a ping every 10 ms from
# hosta to hostb runs across a CHILD SA rekey and an IKE SA rekey, and must
# lose nothing (RFC 7296 §2.8: the new SAs are installed before the old ones
# go, "make before break").  Three cases, one after the other:
#
#   osprey-osprey   gwa and gwb run ospreyd; gwa rekeys (ospreyctl rekey)
#   osprey-charon   gwb runs charon (kernel-netlink); ospreyd rekeys
#   charon-osprey   the same pair; charon rekeys (swanctl --rekey)
#
# Each case passes when ping's summary says every one of its requests was
# answered, the CHILD SA rekey gave new SPIs in both kernels with the old SAs
# gone once it completed, the IKE SA rekey gave gwa's ospreyd a new IKE SA
# (new SPIs, one IKE SA left), every SA in both kernels counted packets, a
# capture on the link shows ESP and no cleartext, and terminate leaves no
# SA.  ospreyd exits 0 and leaves nothing.  Each case prints the kernel's
# XFRM error counters (/proc/net/xfrm_stat) that rose on either gateway,
# which say where lost packets were dropped.  A loss that those counters
# explain as the known make-before-break ordering problem of lib/ikev2
# (testsuite/vm/README.md, "Known issue") is logged as KNOWN-ISSUE while
# KNOWN_REKEY_LOSS=yes; any other failure fails the case, and the scenario
# fails at the end when any case failed.
#
#   hosta 10.1.0.2 --- 10.1.0.1 gwa 192.0.2.1 ==wire== 192.0.2.2 gwb 10.2.0.1 --- 10.2.0.2 hostb
# vm-timeout: 200
. "$(dirname "$0")/../lib.sh"
require ip ping tcpdump ss swanctl "$CHARON" "$OSPREYD" "$OSPREYCTL"
# The loss explained by the known make-before-break ordering (see the end of
# testsuite/vm/README.md) is reported as KNOWN-ISSUE, not as a failure, until
# lib/ikev2 is fixed; then set this to "no".  (The guest does not inherit the
# host's environment: change it here.)
KNOWN_REKEY_LOSS=no # fixed: lib/ikev2/linger.c
PINGS=${PINGS:-1200} # 12-14 s at 10 ms under TCG: both rekeys took 3.5-5.6 s
PSK=osprey-vm-test-bed-pre-shared-key

log "topology"
ns_add gwa gwb
wire wire gwa wan 192.0.2.1/24 gwb wan 192.0.2.2/24
subnet_host gwa lan 10.1.0.1/24 hosta eth0 10.1.0.2/24
subnet_host gwb lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
forwarding gwa gwb

conf() { # conf NS PEER MY PEERADDR MYNET PEERNET
	mkdir -p "$W/$1"
	cat >"$W/$1/osprey.conf" <<-EOC
		kernel = { backend = "xfrm"; };
		logging = { default = "info"; kernel = "debug"; };
		connections = {
		  net = {
		    local_addrs = "$3"; remote_addrs = "$4";
		    proposals = "aes128gcm16-prfsha256-x25519";
		    local = { auth = "psk"; id = "$1.osprey.test"; };
		    remote = { auth = "psk"; id = "$2.osprey.test"; };
		    children = { net = { local_ts = "$5"; remote_ts = "$6";
		      esp_proposals = "aes128gcm16-x25519"; }; };
		  };
		};
		secrets = { ike-gw = { id = [ "gwa.osprey.test", "gwb.osprey.test" ]; secret = "$PSK"; }; };
	EOC
}
conf gwa gwb 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24
conf gwb gwa 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24
# charon keeps an old inbound SA 5 s after a rekey by default: 1 s is
# enough for packets in flight and keeps the case short.
charon_conf gwb "delete_rekeyed_delay = 1"
charon_psk_conf $'esp_proposals = aes128gcm16-x25519\nstart_action = none'

PEER=osprey # what gwb runs
nsas() { nsx "$1" ip xfrm state | grep -c '^src'; }
up() { [ "$(osprey_xfrm gwa state)" -ge 2 ] && [ "$(osprey_xfrm gwa policy)" -ge 3 ] &&
	[ "$(nsas gwb)" -ge 2 ]; }
down() { [ "$(nsas gwa)" = 0 ] && [ "$(nsas gwb)" = 0 ]; }
show() {
	tail -25 "$W/gwa/ospreyd.log"
	if [ $PEER = osprey ]; then tail -25 "$W/gwb/ospreyd.log"; else tail -25 "$(charon_dir gwb)/charon.log"; fi
	nsx gwa ip xfrm state
	nsx gwb ip xfrm state
}
# The CHILD SA rekey is complete when each kernel holds exactly two SAs
# and none of them is one of the old ones.
child_rekeyed() { # child_rekeyed OLD-SPIS-gwa OLD-SPIS-gwb
	local ns old spi now
	for ns in gwa gwb; do
		[ $ns = gwa ] && old=$1 || old=$2
		now=$(xfrm_spis $ns)
		[ "$(wc -w <<<"$now")" = 2 ] || return 1
		for spi in $now; do case " $old " in *" $spi "*) return 1 ;; esac; done
	done
}
ike_rekeyed() { # ike_rekeyed OLD: gwa has one IKE SA, not OLD
	local now
	now=$(osprey_ike_spis gwa)
	[ "$(wc -w <<<"$now")" = 1 ] && [ "$now" != "$1" ]
}
rekey_child() { if [ "$1" = osprey ]; then octl_ns gwa rekey --child net;
	else swan gwb --rekey --child net; fi; }
rekey_ike() { if [ "$1" = osprey ]; then octl_ns gwa rekey net;
	else swan gwb --rekey --ike net; fi; }

FAILED=()
KNOWN=()
case_fail() { # case_fail NAME REASON: record it, go on with the next case
	echo "CASE-FAIL $1: $2"
	FAILED+=("$1")
}

xfrm_stat() { # xfrm_stat NS: NS's XFRM error counters, "Name=N" each
	nsx "$1" awk '{ printf "%s=%s ", $1, $2 }' /proc/net/xfrm_stat
}
stat_delta() { # stat_delta BEFORE AFTER: the counters that rose, "Name+N" each
	awk -v a="$1" -v b="$2" 'BEGIN { n = split(a, x, " "); for (i = 1; i <= n; i++) {
		split(x[i], kv, "="); old[kv[1]] = kv[2] }
		n = split(b, y, " "); for (i = 1; i <= n; i++) { split(y[i], kv, "=")
		if (kv[2] > old[kv[1]]) printf "%s+%d ", kv[1], kv[2] - old[kv[1]] } }'
}
drops_by() { # drops_by DELTA NAME...: the sum of those counters in DELTA
	local d=$1 n sum=0 v
	shift
	for n in "$@"; do
		v=$(sed -n "s/.*\b$n+\([0-9]*\).*/\1/p" <<<"$d")
		sum=$((sum + ${v:-0}))
	done
	echo $sum
}

rekey_case() { # rekey_case NAME WHO(osprey|charon): initiate, ping across both rekeys
	local name=$1 ncap=${1//-/_} who=$2 spa spb ike0 t0 t1 t2 pid rc out sent recv sa0 sb0 da db known
	log "== case $name: $who rekeys, $PEER on gwb"
	octl_ns gwa initiate net >/dev/null || { show; case_fail "$name" "initiate"; return; }
	(wait_for 40 "SAs in both kernels" up) || { show; case_fail "$name" "no CHILD SA"; return; }
	spa=$(xfrm_spis gwa)
	spb=$(xfrm_spis gwb)
	ike0=$(osprey_ike_spis gwa)
	echo "    SPIs before: gwa $spa/ gwb $spb/ IKE $ike0"
	capture_start wire br0 "wan_$ncap"
	sa0=$(xfrm_stat gwa)
	sb0=$(xfrm_stat gwb)
	nsx hosta ping -n -q -i 0.01 -W 3 -c "$PINGS" 10.2.0.2 >"$W/ping-$name.txt" 2>&1 &
	pid=$!
	VM_PIDS+=("$pid")
	sleep 1
	t0=$(date +%s%N)
	rekey_child "$who" >"$W/rekey-child-$name.log" 2>&1 ||
		{ cat "$W/rekey-child-$name.log"; case_fail "$name" "CHILD rekey command"; }
	(wait_for 30 "the CHILD SA rekey" child_rekeyed "$spa" "$spb") ||
		{ show; case_fail "$name" "CHILD SA not rekeyed (old SAs still there or no new ones)"; }
	t1=$(date +%s%N)
	echo "    CHILD SA rekeyed in $(((t1 - t0) / 1000000)) ms: gwa $(xfrm_spis gwa)/ gwb $(xfrm_spis gwb)"
	rekey_ike "$who" >"$W/rekey-ike-$name.log" 2>&1 ||
		{ cat "$W/rekey-ike-$name.log"; case_fail "$name" "IKE rekey command"; }
	(wait_for 30 "the IKE SA rekey" ike_rekeyed "$ike0") ||
		{ show; case_fail "$name" "IKE SA not rekeyed"; }
	t2=$(date +%s%N)
	echo "    IKE SA rekeyed in $(((t2 - t1) / 1000000)) ms: $(osprey_ike_spis gwa)"
	[ -e /proc/$pid ] || case_fail "$name" "ping ended before the rekeys completed (raise PINGS)"
	wait "$pid"
	rc=$?
	out=$(cat "$W/ping-$name.txt")
	sed 's/^/    /' <<<"$out" | tail -2
	sent=$(sed -n 's/^\([0-9]*\) packets transmitted.*/\1/p' <<<"$out")
	recv=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")
	da=$(stat_delta "$sa0" "$(xfrm_stat gwa)")
	db=$(stat_delta "$sb0" "$(xfrm_stat gwb)")
	echo "    XFRM error counters that rose: gwa: ${da:-none}; gwb: ${db:-none}"
	if [ -z "$sent" ] || [ -z "$recv" ]; then
		case_fail "$name" "no ping summary"
	elif [ "$rc" != 0 ] || [ "$sent" != "$recv" ] || ! grep -q ' 0% packet loss' <<<"$out"; then
		# Known (lib/ikev2, see the end of testsuite/vm/README.md): the rekey's
		# responder sends on its new outbound SA before the initiator
		# has installed the inbound one (XfrmAcquireError: the SPI is
		# still the larval state of XFRM_MSG_ALLOCSPI), and the
		# initiator removes its old inbound SA when it sends the Delete
		# (XfrmInNoStates for what the peer still sends on it).
		known=$(($(drops_by "$da" XfrmAcquireError XfrmInNoStates) +
			$(drops_by "$db" XfrmAcquireError XfrmInNoStates)))
		if [ $((sent - recv)) -le "$known" ] && [ "$KNOWN_REKEY_LOSS" = yes ]; then
			echo "KNOWN-ISSUE $name: $((sent - recv)) of $sent pings lost across the CHILD SA rekey, all dropped by the make-before-break ordering (XfrmAcquireError/XfrmInNoStates); KNOWN_REKEY_LOSS=no in this file makes this a failure"
			KNOWN+=("$name")
		else
			case_fail "$name" "pings lost across the rekeys: $sent sent, $recv received"
		fi
	fi
	(assert_xfrm_rise gwa "0 0" 100 && assert_xfrm_rise gwb "0 0" 100) ||
		case_fail "$name" "counters on the new SAs"
	capture_stop "wan_$ncap"
	(assert_esp_no_plain "wan_$ncap" 200 'icmp or net 10.1.0.0/24 or net 10.2.0.0/24') ||
		case_fail "$name" "ESP/cleartext on the wire"
	octl_ns gwa terminate net >/dev/null || case_fail "$name" "terminate"
	(wait_for 20 "the SAs to go" down) || { show; case_fail "$name" "SAs left after terminate"; }
	case " ${FAILED[*]-} " in
	*" $name "*) log "case $name: FAILED" ;;
	*) case " ${KNOWN[*]-} " in
		*" $name "*) log "case $name: passed, but with the known rekey loss" ;;
		*) log "case $name: passed" ;;
		esac ;;
	esac
}

log "daemons"
ospreyd_start gwa gwb
rekey_case osprey-osprey osprey
log "gwb: ospreyd -> charon"
ospreyd_stop gwb
charon_start gwb
swan_load gwb
PEER=charon
rekey_case osprey-charon osprey
rekey_case charon-osprey charon

log "stop"
ospreyd_stop gwa
! grep -E 'kernel +error' "$W/gwa/ospreyd.log" "$W/gwb/ospreyd.log" || fail "kernel errors in ospreyd's logs"
[ ${#KNOWN[@]} = 0 ] || log "cases with the known rekey loss: ${KNOWN[*]}"
[ ${#FAILED[@]} = 0 ] || fail "cases failed: ${FAILED[*]}"
log "pass"
