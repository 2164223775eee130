# ospreyd (kernel-xfrm) through a NAT: UDP encapsulation (ESPINUDP) with the
# NAT-T ports.  gwa sits behind an nftables masquerade in namespace "nat";
# both ospreyd detect the NAT, float to 4500 and install SAs with
# `encap espinudp`; hosts behind the gateways ping each other; a capture
# between the NAT and gwb shows only UDP 4500 ESP (no plain ESP, no cleartext)
# and the counters rise; terminate + stop leave no osprey state.
#
#   hosta 10.1.0.2 -- gwa 192.168.1.2 -- 192.168.1.1 nat 192.0.2.1 ==wire== 192.0.2.2 gwb -- hostb 10.2.0.2
# vm-timeout: 170
. "$(dirname "$0")/../lib.sh"
OSPREYD=${OSPREYD:-$OSPREY_TOP/daemon/ospreyd}
OSPREYCTL=${OSPREYCTL:-$OSPREY_TOP/daemon/ospreyctl}
require ip ping tcpdump ss nft "$OSPREYD" "$OSPREYCTL"

log "topology"
ns_add gwa nat gwb
link gwa wan 192.168.1.2/24 nat lan 192.168.1.1/24
wire wire nat wan 192.0.2.1/24 gwb wan 192.0.2.2/24
subnet_host gwa lan 10.1.0.1/24 hosta eth0 10.1.0.2/24
subnet_host gwb lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
forwarding gwa nat gwb
route gwa default via 192.168.1.1
# (no route to the remote subnets: kernel-xfrm adds them in table 220)
nsx nat nft -f - <<'EOF2' || skip "nftables NAT is not available in this kernel"
table ip nat {
  chain post { type nat hook postrouting priority 100; oifname "wan" masquerade; }
}
EOF2

conf() { # conf NS PEER MY PEERADDR MYNET PEERNET
	mkdir -p "$W/$1"
	cat >"$W/$1/osprey.conf" <<-EOF
		kernel = { backend = "xfrm"; };
		logging = { default = "info"; kernel = "debug"; };
		connections = {
		  net = {
		    local_addrs = "$3"; remote_addrs = "$4";
		    proposals = "aes128gcm16-prfsha256-x25519";
		    local = { auth = "psk"; id = "$1.osprey.test"; };
		    remote = { auth = "psk"; id = "$2.osprey.test"; };
		    children = { net = { local_ts = "$5"; remote_ts = "$6";
		      esp_proposals = "aes128gcm16"; }; };
		  };
		};
		secrets = { ike-gw = { id = [ "gwa.osprey.test", "gwb.osprey.test" ];
		  secret = "osprey-vm-test-bed-pre-shared-key"; }; };
	EOF
}
count_reqid() { # count_reqid NS state|policy
	nsx "$1" ip xfrm "$2" | awk '/reqid/ { for (i = 1; i <= NF; i++) if ($i == "reqid" &&
		$(i + 1) >= 1862270976 && $(i + 1) <= 1879048191) n++ } END { print n + 0 }'
}
up() { for ns in gwa gwb; do [ "$(count_reqid $ns state)" -ge 2 ] &&
	[ "$(count_reqid $ns policy)" -ge 3 ] || return 1; done; }
down() { [ "$(count_reqid "$1" state)" = 0 ] && [ "$(count_reqid "$1" policy)" = 0 ]; }

# gwb sees gwa as the NAT's public address.
conf gwa gwb 192.168.1.2 192.0.2.2 10.1.0.0/24 10.2.0.0/24
conf gwb gwa 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24
for ns in gwa gwb; do
	bg ip netns exec $ns "$OSPREYD" -c "$W/$ns/osprey.conf" -s "$W/$ns/ctl" -p "$W/$ns/pid" \
		--user root >"$W/$ns/ospreyd.log" 2>&1
	eval "PID_$ns=$!"
done
for ns in gwa gwb; do
	wait_for 30 "ospreyd in $ns" test -S "$W/$ns/ctl"
	wait_udp $ns 4500
done
capture_start wire br0 wan

log "initiate"
"$OSPREYCTL" --socket "$W/gwa/ctl" initiate net || fail "initiate"
(wait_for 40 "SAs in both kernels" up) ||
	{ tail -30 "$W/gwa/ospreyd.log"; tail -30 "$W/gwb/ospreyd.log"; nsx gwa ip xfrm state;
	  fail "no CHILD SA"; }
grep -h 'NAT' "$W/gwa/ospreyd.log" "$W/gwb/ospreyd.log" | sed 's/^/    /' | head -4
for ns in gwa gwb; do
	states=$(nsx $ns ip xfrm state)
	grep -E '^src|proto|encap' <<<"$states" | sed "s/^/    $ns: /"
	[ "$(grep -c 'encap type espinudp' <<<"$states")" -ge 2 ] || fail "$ns: SAs without ESPINUDP"
done
grep -q 'encap type espinudp sport 4500 dport 4500' <<<"$(nsx gwa ip xfrm state)" ||
	fail "gwa's SAs do not use the NAT-T ports 4500"
before_a=$(xfrm_total gwa)
before_b=$(xfrm_total gwb)

log "traffic"
ping_ok hosta 10.2.0.2 3
ping_ok hostb 10.1.0.2 3
capture_stop wan
assert_esp_no_plain wan 12 'icmp or esp or net 10.1.0.0/24 or net 10.2.0.0/24'
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
done
! grep -E 'kernel +error' "$W/gwa/ospreyd.log" "$W/gwb/ospreyd.log" || fail "kernel errors logged"
log "pass"
