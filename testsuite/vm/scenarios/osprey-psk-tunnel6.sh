# osprey-psk-tunnel over IPv6: two ospreyd (kernel-xfrm), IPv6 gateways and
# IPv6 subnets, IKEv2 PSK, ESP aes256gcm16 in tunnel mode.  Passes when the
# hosts ping each other over ICMPv6, a capture on the link shows ESP and no
# cleartext from the subnets, the counters rise on both gateways, the IPv6
# routes to the remote subnets are kernel-xfrm's (gwa: table 220, the
# default; gwb: kernel.route_table = 1220, above the 8-bit table field; rule
# priority 111 on both), and terminate + stop leave no osprey SA, policy,
# route or rule.
#
#   hosta 2001:db8:1::2 -- gwa 2001:db8:f::1 ==wire== 2001:db8:f::2 gwb -- hostb 2001:db8:2::2
# vm-timeout: 150
. "$(dirname "$0")/../lib.sh"
OSPREYD=${OSPREYD:-$OSPREY_TOP/daemon/ospreyd}
OSPREYCTL=${OSPREYCTL:-$OSPREY_TOP/daemon/ospreyctl}
require ip ping tcpdump ss "$OSPREYD" "$OSPREYCTL"

log "topology"
ns_add gwa gwb
wire wire gwa wan 2001:db8:f::1/64 gwb wan 2001:db8:f::2/64
subnet_host gwa lan 2001:db8:1::1/64 hosta eth0 2001:db8:1::2/64
subnet_host gwb lan 2001:db8:2::1/64 hostb eth0 2001:db8:2::2/64
forwarding gwa gwb

conf() { # conf NS PEER MY PEERADDR MYNET PEERNET [KERNEL_EXTRA]
	mkdir -p "$W/$1"
	cat >"$W/$1/osprey.conf" <<-EOF
		kernel = { backend = "xfrm";${7:+ $7} };
		logging = { default = "info"; kernel = "debug"; };
		connections = {
		  net = {
		    local_addrs = "$3"; remote_addrs = "$4";
		    proposals = "aes128gcm16-prfsha256-x25519";
		    local = { auth = "psk"; id = "$1.osprey.test"; };
		    remote = { auth = "psk"; id = "$2.osprey.test"; };
		    children = { net = { local_ts = "$5"; remote_ts = "$6";
		      esp_proposals = "aes256gcm16"; }; };
		  };
		};
		secrets = { ike-gw = { id = [ "gwa.osprey.test", "gwb.osprey.test" ];
		  secret = "osprey-vm-test-bed-pre-shared-key"; }; };
	EOF
}
count_reqid() { # count_reqid NS state|policy
	nsx "$1" ip -6 xfrm "$2" | awk '/reqid/ { for (i = 1; i <= NF; i++) if ($i == "reqid" &&
		$(i + 1) >= 1862270976 && $(i + 1) <= 1879048191) n++ } END { print n + 0 }'
}
up() { for ns in gwa gwb; do [ "$(count_reqid $ns state)" -ge 2 ] &&
	[ "$(count_reqid $ns policy)" -ge 3 ] || return 1; done; }
down() { [ "$(count_reqid "$1" state)" = 0 ] && [ "$(count_reqid "$1" policy)" = 0 ]; }

conf gwa gwb 2001:db8:f::1 2001:db8:f::2 2001:db8:1::/64 2001:db8:2::/64
conf gwb gwa 2001:db8:f::2 2001:db8:f::1 2001:db8:2::/64 2001:db8:1::/64 'route_table = 1220;'
TABLE_gwa=220
TABLE_gwb=1220
for ns in gwa gwb; do
	bg ip netns exec $ns "$OSPREYD" -c "$W/$ns/osprey.conf" -s "$W/$ns/ctl" -p "$W/$ns/pid" \
		--user root >"$W/$ns/ospreyd.log" 2>&1
	eval "PID_$ns=$!"
done
for ns in gwa gwb; do
	wait_for 30 "ospreyd in $ns" test -S "$W/$ns/ctl"
	wait_udp $ns 500
done
capture_start wire br0 wan

log "initiate"
"$OSPREYCTL" --socket "$W/gwa/ctl" initiate net || fail "initiate"
(wait_for 40 "SAs in both kernels" up) ||
	{ tail -30 "$W/gwa/ospreyd.log"; tail -30 "$W/gwb/ospreyd.log"; nsx gwa ip xfrm state;
	  fail "no CHILD SA"; }
states=$(nsx gwa ip xfrm state)
grep -E '^src|proto|aead' <<<"$states" | sed 's/^/    /'
grep -qF 'aead rfc4106(gcm(aes))' <<<"$states" || fail "no rfc4106(gcm(aes)) SA"
for ns in gwa gwb; do
	eval "table=\$TABLE_$ns"
	rt=$(nsx $ns ip -6 route show table $table)
	echo "    $ns table $table: $rt"
	grep -q 'proto 111' <<<"$rt" || fail "no osprey IPv6 route in $ns's table $table"
	grep -q "^111:.*lookup $table proto 111" <<<"$(nsx $ns ip -6 rule)" ||
		fail "no IPv6 rule 'priority 111 lookup $table' in $ns"
done
before_a=$(xfrm_total gwa)
before_b=$(xfrm_total gwb)

log "traffic"
ping_ok hosta 2001:db8:2::2 3
ping_ok hostb 2001:db8:1::2 3
capture_stop wan
assert_esp_no_plain wan 12 \
	'(icmp6 and (ip6[40] == 128 or ip6[40] == 129)) or net 2001:db8:1::/64 or net 2001:db8:2::/64'
assert_xfrm_rise gwa "$before_a" 12
assert_xfrm_rise gwb "$before_b" 12

log "terminate and stop"
"$OSPREYCTL" --socket "$W/gwa/ctl" terminate net || fail "terminate"
wait_for 20 "gwa's state to go" down gwa
wait_for 20 "gwb's state to go" down gwb
for ns in gwa gwb; do
	eval "pid=\$PID_$ns"
	kill -TERM "$pid"
	wait "$pid" || fail "ospreyd in $ns exited $?"
	down $ns || fail "osprey state left in $ns"
	eval "table=\$TABLE_$ns"
	left=$(nsx $ns ip -6 route show table $table; nsx $ns ip -6 rule)
	! grep -q "proto 111\|lookup $table" <<<"$left" || { echo "$left"; fail "route/rule left in $ns"; }
done
! grep -E 'kernel +(error|warning)' "$W/gwa/ospreyd.log" "$W/gwb/ospreyd.log" ||
	fail "kernel errors or warnings logged"
log "pass"
