# Virtual IPs (RFC 7296 §2.19, §3.15) on a real ESP data path: a road
# warrior ospreyd (vips = ["0.0.0.0", "::"]) asks the gateway ospreyd for an
# IPv4 and an IPv6 address; the gateway leases 10.3.0.1 from its pool "rw"
# (10.3.0.0/28) and fd00:3::1 from "rw6" (fd00:3::/120).  IKE runs over IPv4.
#
#   rw 192.0.2.1 [+ 10.3.0.1/32, fd00:3::1/128] ==wire== 192.0.2.2 gw
#      gw 10.2.0.1, fd00:2::1 --- 10.2.0.2, fd00:2::2 hostb
#
# Passes when the road warrior's wan interface gets 10.3.0.1/32 (osprey's
# mark), its route to 10.2.0.0/24 in table 220 has the VIP as source and its
# policy is 10.3.0.1/32 -> 10.2.0.0/24, a ping from rw to hostb (source: the
# VIP, by that route) is answered and crosses the wire as ESP only, the
# xfrm counters rise on both sides, `ospreyctl list-sas` shows the VIP on
# both (human and JSON), terminate removes the address and returns the
# lease to the pool, a second initiate gets the same address again (same
# identity), and SIGTERM leaves no address, SA or policy behind.  The same
# for IPv6: fd00:3::1/128 on rw's wan, policy fd00:3::1/128 -> fd00:2::/64,
# a ping6 from it to hostb answered (through the same CHILD SA), and no
# IPv4 <-> IPv6 policy in either kernel.
# vm-timeout: 170
. "$(dirname "$0")/../lib.sh"
OSPREYD=${OSPREYD:-$OSPREY_TOP/daemon/ospreyd}
OSPREYCTL=${OSPREYCTL:-$OSPREY_TOP/daemon/ospreyctl}
require ip ping tcpdump "$OSPREYD" "$OSPREYCTL"
"$OSPREYD" --help >/dev/null 2>&1 || fail "$OSPREYD does not run"

log "topology"
ns_add rw gw
wire wire rw wan 192.0.2.1/24 gw wan 192.0.2.2/24
subnet_host gw lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
addr gw lan fd00:2::1/64
addr hostb eth0 fd00:2::2/64
route hostb default via fd00:2::1
forwarding gw

mkdir -p "$W/rw" "$W/gw"
cat >"$W/rw/osprey.conf" <<-EOF
	kernel = { backend = "xfrm"; };
	logging = { default = "info"; kernel = "debug"; };
	connections = {
	  home = {
	    local_addrs = "192.0.2.1"; remote_addrs = "192.0.2.2";
	    proposals = "aes128gcm16-prfsha256-x25519";
	    vips = [ "0.0.0.0", "::" ];
	    local = { auth = "psk"; id = "rw.osprey.test"; };
	    remote = { auth = "psk"; id = "gw.osprey.test"; };
	    children = { home = { remote_ts = [ "10.2.0.0/24", "fd00:2::/64" ];
	      esp_proposals = "aes128gcm16"; }; };
	  };
	};
	secrets = { ike-rw = { id = [ "rw.osprey.test", "gw.osprey.test" ];
	  secret = "osprey-vm-vip-pre-shared-key"; }; };
EOF
cat >"$W/gw/osprey.conf" <<-EOF
	kernel = { backend = "xfrm"; };
	logging = { default = "info"; kernel = "debug"; };
	pools = { rw = { addrs = "10.3.0.0/28"; }; rw6 = { addrs = "fd00:3::/120"; }; };
	connections = {
	  rw = {
	    local_addrs = "192.0.2.2";
	    proposals = "aes128gcm16-prfsha256-x25519";
	    pools = [ "rw", "rw6" ];
	    local = { auth = "psk"; id = "gw.osprey.test"; };
	    remote = { auth = "psk"; id = "rw.osprey.test"; };
	    children = { rw = { local_ts = [ "10.2.0.0/24", "fd00:2::/64" ];
	      esp_proposals = "aes128gcm16"; }; };
	  };
	};
	secrets = { ike-rw = { id = [ "rw.osprey.test", "gw.osprey.test" ];
	  secret = "osprey-vm-vip-pre-shared-key"; }; };
EOF

for ns in rw gw; do
	bg ip netns exec "$ns" "$OSPREYD" -c "$W/$ns/osprey.conf" -s "$W/$ns/ctl" \
		-p "$W/$ns/pid" --user root >"$W/$ns/ospreyd.log" 2>&1
	eval "PID_$ns=$!"
done
octl() { local ns=$1; shift; "$OSPREYCTL" --socket "$W/$ns/ctl" "$@"; }
wait_for 30 "ospreyd in rw" test -S "$W/rw/ctl"
wait_for 30 "ospreyd in gw" test -S "$W/gw/ctl"
wait_udp rw 500
wait_udp gw 500

has_vip() { local a; a=$(nsx rw ip addr show dev wan)
	grep -q 'inet 10\.3\.0\.1/32' <<<"$a" && grep -q 'inet6 fd00:3::1/128' <<<"$a"; }
no_vip() { ! grep -q 'inet 10\.3\.0\.\|inet6 fd00:3::' <<<"$(nsx rw ip addr show dev wan)"; }
sas_up() { [ "$(nsx rw ip xfrm state | grep -c '^src')" -ge 2 ] &&
	[ "$(nsx gw ip xfrm state | grep -c '^src')" -ge 2 ]; }
no_sas() { [ "$(nsx "$1" ip xfrm state | grep -c '^src')" = 0 ] &&
	! grep -q 'reqid 18[0-9]*' <<<"$(nsx "$1" ip xfrm policy)"; }
dump() { tail -25 "$W/rw/ospreyd.log"; tail -25 "$W/gw/ospreyd.log"; nsx rw ip addr;
	nsx rw ip xfrm policy; nsx rw ip route show table 220; }

capture_start wire br0 wan

log "initiate"
octl rw initiate home || { dump; fail "ospreyctl initiate"; }
(wait_for 30 "the CHILD SA in both kernels" sas_up) || { dump; fail "no CHILD SA"; }
(wait_for 10 "10.3.0.1/32 on rw's wan" has_vip) || { dump; fail "the VIP is not on rw's wan"; }
nsx rw ip -d addr show dev wan | sed 's/^/    rw: /'
grep -q 'inet 10.3.0.1/32 metric 7296592' <<<"$(nsx rw ip -d addr show dev wan)" ||
	fail "the VIP lacks osprey's mark (metric 0x6f5650)"
pol=$(nsx rw ip xfrm policy)
sed 's/^/    rw: /' <<<"$pol"
grep -q 'src 10.3.0.1/32 dst 10.2.0.0/24' <<<"$pol" || fail "rw's out policy is not VIP -> 10.2.0.0/24"
grep -q 'src fd00:3::1/128 dst fd00:2::/64' <<<"$pol" || fail "rw's out policy is not VIP6 -> fd00:2::/64"
! grep -q 'src 10.3.0.1/32 dst fd00\|src fd00:3::1/128 dst 10\.' <<<"$pol" ||
	fail "rw has a policy between address families"
grep -q 'src 10.2.0.0/24 dst 10.3.0.1/32' <<<"$(nsx gw ip xfrm policy)" ||
	{ nsx gw ip xfrm policy; fail "gw's out policy is not 10.2.0.0/24 -> VIP"; }
rt=$(nsx rw ip route show table 220)
echo "    rw table 220: $rt"
grep -q '10.2.0.0/24 .*src 10.3.0.1' <<<"$rt" || { dump; fail "rw's route does not use the VIP as source"; }
rt6=$(nsx rw ip -6 route show table 220)
echo "    rw table 220 (IPv6): $rt6"
grep -q 'fd00:2::/64 .*src fd00:3::1' <<<"$rt6" || { dump; fail "rw's IPv6 route does not use VIP6 as source"; }
grep -q 'virtual IP 10.3.0.1 assigned' "$W/rw/ospreyd.log" || fail "rw did not log the VIP"
grep -q 'assigning virtual IP 10.3.0.1 from pool rw' "$W/gw/ospreyd.log" ||
	fail "gw did not log the lease"

log "list-sas"
octl rw list-sas | tee "$W/rw-list-sas.txt" | sed 's/^/    /'
grep -q 'vip 10.3.0.1' "$W/rw-list-sas.txt" || fail "rw's list-sas does not show the VIP"
octl gw list-sas >"$W/gw-list-sas.txt"
grep -q 'vip 10.3.0.1' "$W/gw-list-sas.txt" || { cat "$W/gw-list-sas.txt"; fail "gw's list-sas does not show the lease"; }
grep -q '"vips": *"10.3.0.1, fd00:3::1"' <<<"$(octl rw --json list-sas)" || fail "list-sas --json has no vips"

log "traffic"
before_rw=$(xfrm_total rw)
before_gw=$(xfrm_total gw)
ping_ok rw 10.2.0.2 3
ping_ok rw fd00:2::2 3
capture_stop wan
capture_show wan 8
assert_esp_no_plain wan 12 'icmp or net 10.3.0.0/24 or net 10.2.0.0/24 or net fd00::/8'
assert_xfrm_rise rw "$before_rw" 12
assert_xfrm_rise gw "$before_gw" 12

log "terminate"
octl rw terminate home || fail "ospreyctl terminate"
wait_for 20 "rw's SAs to go" no_sas rw
wait_for 20 "gw's SAs to go" no_sas gw
wait_for 10 "the VIP to leave rw's wan" no_vip
wait_for 10 "the lease back in the pool" grep -q 'virtual IP 10.3.0.1 back to pool rw' "$W/gw/ospreyd.log"

log "again: the same identity gets the same address"
octl rw initiate home || fail "second initiate"
(wait_for 30 "the CHILD SA in both kernels" sas_up) || { dump; fail "no CHILD SA the second time"; }
(wait_for 10 "10.3.0.1/32 on rw's wan" has_vip) || { dump; fail "not 10.3.0.1 the second time"; }
ping_ok rw 10.2.0.2 2

log "stop"
for ns in rw gw; do
	eval "pid=\$PID_$ns"
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	[ "$rc" = 0 ] || { tail -20 "$W/$ns/ospreyd.log"; fail "ospreyd in $ns exited $rc"; }
	no_sas "$ns" || { nsx "$ns" ip xfrm state; fail "SAs left in $ns"; }
done
no_vip || { nsx rw ip addr; fail "the VIP is left on rw's wan after the stop"; }
! grep -E 'kernel.*error' "$W/rw/ospreyd.log" "$W/gw/ospreyd.log" ||
	fail "kernel errors in the ospreyd logs"
log "pass"
