# ospreyd (kernel-xfrm) host to host in transport mode with ESN: two ospreyd
# in two namespaces, IKEv2 PSK, ESP aes128-sha256-esn (cbc(aes) +
# hmac(sha256)/128, XFRM_STATE_ESN with a 128-packet replay window), traffic
# selectors the hosts' own addresses.  Passes when the hosts ping each other,
# the SAs are transport mode with the esn flag and the configured hard
# lifetimes (1 h, 1 GiB) with a soft one below, only in and out policies are
# installed (no fwd), a capture on the link shows ESP and no cleartext ICMP,
# the counters rise, and terminate + stop leave no osprey state.
# vm-timeout: 150
. "$(dirname "$0")/../lib.sh"
OSPREYD=${OSPREYD:-$OSPREY_TOP/daemon/ospreyd}
OSPREYCTL=${OSPREYCTL:-$OSPREY_TOP/daemon/ospreyctl}
require ip ping tcpdump ss "$OSPREYD" "$OSPREYCTL"

log "topology"
ns_add ha hb
wire wire ha wan 192.0.2.1/24 hb wan 192.0.2.2/24

conf() { # conf NS PEER MY PEERADDR
	mkdir -p "$W/$1"
	cat >"$W/$1/osprey.conf" <<-EOF
		kernel = { backend = "xfrm"; };
		logging = { default = "info"; kernel = "debug"; };
		connections = {
		  host = {
		    local_addrs = "$3"; remote_addrs = "$4";
		    proposals = "aes128gcm16-prfsha256-x25519";
		    local = { auth = "psk"; id = "$1.osprey.test"; };
		    remote = { auth = "psk"; id = "$2.osprey.test"; };
		    children = { host = { mode = "transport"; local_ts = "$3/32"; remote_ts = "$4/32";
		      esp_proposals = "aes128-sha256-esn";
		      rekey_time = "50m"; life_time = "1h"; life_bytes = "1G"; }; };
		  };
		};
		secrets = { ike-h = { id = [ "ha.osprey.test", "hb.osprey.test" ];
		  secret = "osprey-vm-test-bed-pre-shared-key"; }; };
	EOF
	"$OSPREYD" --check-config -c "$W/$1/osprey.conf" || fail "config of $1"
}
count_reqid() { # count_reqid NS state|policy
	nsx "$1" ip xfrm "$2" | awk '/reqid/ { for (i = 1; i <= NF; i++) if ($i == "reqid" &&
		$(i + 1) >= 1862270976 && $(i + 1) <= 1879048191) n++ } END { print n + 0 }'
}
up() { for ns in ha hb; do [ "$(count_reqid $ns state)" -ge 2 ] &&
	[ "$(count_reqid $ns policy)" -ge 2 ] || return 1; done; }
down() { [ "$(count_reqid "$1" state)" = 0 ] && [ "$(count_reqid "$1" policy)" = 0 ]; }

conf ha hb 192.0.2.1 192.0.2.2
conf hb ha 192.0.2.2 192.0.2.1
for ns in ha hb; do
	bg ip netns exec $ns "$OSPREYD" -c "$W/$ns/osprey.conf" -s "$W/$ns/ctl" -p "$W/$ns/pid" \
		--user root >"$W/$ns/ospreyd.log" 2>&1
	eval "PID_$ns=$!"
done
for ns in ha hb; do
	wait_for 30 "ospreyd in $ns" test -S "$W/$ns/ctl"
	wait_udp $ns 500
done
capture_start wire br0 wan

log "initiate"
"$OSPREYCTL" --socket "$W/ha/ctl" initiate host || fail "initiate"
(wait_for 30 "transport SAs in both kernels" up) ||
	{ tail -30 "$W/ha/ospreyd.log"; nsx ha ip xfrm state; fail "no CHILD SA"; }
states=$(nsx ha ip xfrm state)
pols=$(nsx ha ip xfrm policy)
grep -E '^src|proto|mode|enc |auth|flag|replay' <<<"$states" | sed 's/^/    /'
grep -q 'mode transport' <<<"$states" || fail "SAs not in transport mode"
grep -q 'flag.*esn' <<<"$states" || fail "no esn flag on the SAs"
grep -qF 'auth-trunc hmac(sha256)' <<<"$states" || fail "no hmac(sha256) SA"
grep -q 'replay_window 128' <<<"$states" || fail "replay window is not 128"
! grep -q 'dir fwd' <<<"$pols" || fail "a fwd policy in transport mode"
# Lifetimes: hard = life_time / life_bytes, soft (the rekey point) below them.
lft=$(nsx ha ip -s xfrm state)
grep -E 'expire add|limit: .*bytes' <<<"$lft" | sed 's/^/    /'
[ "$(grep -c 'expire add: soft [0-9]*(sec), hard 3600(sec)' <<<"$lft")" = 2 ] ||
	fail "hard lifetime is not 3600 s on both SAs"
! grep -q 'expire add: soft 0(sec)' <<<"$lft" || fail "no soft lifetime"
grep -q 'hard 1073741824(bytes)' <<<"$lft" || fail "hard byte limit is not 1 GiB"
before_a=$(xfrm_total ha)
before_b=$(xfrm_total hb)

log "traffic"
ping_ok ha 192.0.2.2 3
ping_ok hb 192.0.2.1 3
capture_stop wan
assert_esp_no_plain wan 12 'icmp'
assert_xfrm_rise ha "$before_a" 12
assert_xfrm_rise hb "$before_b" 12

log "terminate and stop"
"$OSPREYCTL" --socket "$W/ha/ctl" terminate host || fail "terminate"
wait_for 20 "ha's state to go" down ha
wait_for 20 "hb's state to go" down hb
for ns in ha hb; do
	eval "pid=\$PID_$ns"
	kill -TERM "$pid"
	wait "$pid" || fail "ospreyd in $ns exited $?"
	down $ns || fail "osprey state left in $ns"
done
! grep -E 'kernel +error' "$W/ha/ospreyd.log" "$W/hb/ospreyd.log" || fail "kernel errors logged"
log "pass"
