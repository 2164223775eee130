# ospreyd with kernel-xfrm on a real ESP data path: two ospreyd gateways
# (kernel.backend = "xfrm") in two namespaces, IKEv2 PSK, net-to-net tunnel,
# ESP $OSPREY_ESP (aes128gcm16 here; osprey-psk-cbc and osprey-psk-chacha
# source this file with other values), hosts behind each gateway ping each
# other.
#
#   hosta 10.1.0.2 --- 10.1.0.1 gwa 192.0.2.1 ==wire== 192.0.2.2 gwb 10.2.0.1 --- 10.2.0.2 hostb
#
# Passes when the pings are answered both ways, the SAs in both kernels have
# the expected algorithm and osprey's reqid, a capture on the link (bridge in
# namespace "wire") shows ESP and no cleartext from the subnets, `ip -s xfrm
# state` counters rise on every SA of both gateways, and `ospreyctl
# terminate` then SIGTERM leave no osprey SA or policy in either kernel while
# an administrator's policy added before the start survives.  The routes
# to the remote subnets are kernel-xfrm's (table 220, the default of
# kernel.route_table, rule priority 111), none is configured.
# vm-timeout: 150
. "$(dirname "$0")/../lib.sh"
OSPREYD=${OSPREYD:-$OSPREY_TOP/daemon/ospreyd}
OSPREYCTL=${OSPREYCTL:-$OSPREY_TOP/daemon/ospreyctl}
OSPREY_ESP=${OSPREY_ESP:-aes128gcm16}
OSPREY_KALG=${OSPREY_KALG:-'aead rfc4106(gcm(aes))'}
require ip ping tcpdump ss "$OSPREYD" "$OSPREYCTL"
"$OSPREYD" --help >/dev/null 2>&1 || fail "$OSPREYD does not run"

log "topology (ESP $OSPREY_ESP)"
ns_add gwa gwb
wire wire gwa wan 192.0.2.1/24 gwb wan 192.0.2.2/24
subnet_host gwa lan 10.1.0.1/24 hosta eth0 10.1.0.2/24
subnet_host gwb lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
forwarding gwa gwb
# No static route to the remote subnets: kernel-xfrm puts one in table 220.

# An administrator's policy that ospreyd must leave alone.
nsx gwa ip xfrm policy add src 198.18.1.0/24 dst 198.18.2.0/24 dir out priority 1000 \
	tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 5 mode tunnel || fail "foreign policy"

osprey_conf() { # osprey_conf NS PEER MY_ADDR PEER_ADDR MY_NET PEER_NET
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
		      esp_proposals = "$OSPREY_ESP"; }; };
		  };
		};
		secrets = { ike-gw = { id = [ "gwa.osprey.test", "gwb.osprey.test" ];
		  secret = "osprey-vm-test-bed-pre-shared-key"; }; };
	EOF
}

osprey_start() { # osprey_start NS: ospreyd in NS, its pid in $W/NS/pid
	bg ip netns exec "$1" "$OSPREYD" -c "$W/$1/osprey.conf" -s "$W/$1/ctl" -p "$W/$1/pid" \
		--user root >"$W/$1/ospreyd.log" 2>&1
	eval "OSPREYD_PID_$1=$!"
}

octl() { # octl NS ARGS...
	local ns=$1
	shift
	"$OSPREYCTL" --socket "$W/$ns/ctl" "$@"
}

osprey_states() { # osprey_states NS: osprey's SAs (reqid 0x6f000000-0x6fffffff)
	nsx "$1" ip xfrm state | awk '/reqid/ { for (i = 1; i <= NF; i++) if ($i == "reqid" &&
		$(i + 1) >= 1862270976 && $(i + 1) <= 1879048191) n++ } END { print n + 0 }'
}
osprey_policies() { # osprey_policies NS: osprey's policies
	nsx "$1" ip xfrm policy | awk '/reqid/ { for (i = 1; i <= NF; i++) if ($i == "reqid" &&
		$(i + 1) >= 1862270976 && $(i + 1) <= 1879048191) n++ } END { print n + 0 }'
}
sas_up() { [ "$(osprey_states gwa)" -ge 2 ] && [ "$(osprey_states gwb)" -ge 2 ] &&
	[ "$(osprey_policies gwa)" -ge 3 ] && [ "$(osprey_policies gwb)" -ge 3 ]; }
nothing_left() { [ "$(osprey_states "$1")" = 0 ] && [ "$(osprey_policies "$1")" = 0 ]; }

log "ospreyd"
osprey_conf gwa gwb 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24
osprey_conf gwb gwa 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24
osprey_start gwa
osprey_start gwb
wait_for 30 "ospreyd in gwa" test -S "$W/gwa/ctl"
wait_for 30 "ospreyd in gwb" test -S "$W/gwb/ctl"
wait_udp gwa 500
wait_udp gwb 500

capture_start wire br0 wan

log "initiate"
octl gwa initiate net || { tail -30 "$W/gwa/ospreyd.log"; fail "ospreyctl initiate"; }
if ! (wait_for 30 "SAs and policies in both kernels" sas_up); then
	tail -30 "$W/gwa/ospreyd.log"
	tail -30 "$W/gwb/ospreyd.log"
	nsx gwa ip xfrm state
	nsx gwa ip xfrm policy
	fail "the CHILD SA did not reach the kernels"
fi
grep -h 'kernel-xfrm' "$W/gwa/ospreyd.log" | sed 's/^/    gwa: /' | tail -12
states=$(nsx gwa ip xfrm state)
grep -E '^src|proto|aead|enc |auth|encap|replay' <<<"$states" | sed 's/^/    /'
nsx gwa ip xfrm policy | sed 's/^/    /'
grep -qF "$OSPREY_KALG" <<<"$states" || fail "no '$OSPREY_KALG' SA in gwa's kernel"
for ns in gwa gwb; do
	rt=$(nsx $ns ip route show table 220)
	echo "    $ns table 220: $rt"
	grep -q 'proto 111' <<<"$rt" || fail "no osprey route in $ns's table 220"
	grep -q '^111:.*lookup 220 proto 111' <<<"$(nsx $ns ip rule)" ||
		fail "no rule 'priority 111 lookup 220' in $ns"
done
grep -q 'src 10.1.0.1' <<<"$(nsx gwa ip route show table 220)" ||
	fail "gwa's route has no source inside its subnet"
! grep -qF 'encap type' <<<"$states" || fail "gwa's SAs are UDP-encapsulated"
octl gwa list-kernel >"$W/list-kernel-before.txt" 2>&1
before_a=$(xfrm_total gwa)
before_b=$(xfrm_total gwb)

log "traffic"
ping_ok hosta 10.2.0.2 3
ping_ok hostb 10.1.0.2 3
capture_stop wan

log "checks"
capture_show wan 8
assert_esp_no_plain wan 12 'icmp or net 10.1.0.0/24 or net 10.2.0.0/24'
assert_xfrm_rise gwa "$before_a" 12
assert_xfrm_rise gwb "$before_b" 12
octl gwa --json list-kernel >"$W/list-kernel.json" 2>&1
grep -q '"packets": *[1-9]' "$W/list-kernel.json" ||
	{ cat "$W/list-kernel.json"; fail "list-kernel shows no packet counts"; }
kalg=${OSPREY_KALG#* }
grep -qF "\"${kalg%% *}\"" "$W/list-kernel.json" ||
	{ cat "$W/list-kernel.json"; fail "list-kernel does not name ${kalg%% *}"; }

log "terminate"
octl gwa terminate net || fail "ospreyctl terminate"
wait_for 20 "gwa's osprey SAs and policies to go" nothing_left gwa
wait_for 20 "gwb's osprey SAs and policies to go" nothing_left gwb

log "stop"
for ns in gwa gwb; do
	eval "pid=\$OSPREYD_PID_$ns"
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	[ "$rc" = 0 ] || { tail -20 "$W/$ns/ospreyd.log"; fail "ospreyd in $ns exited $rc"; }
	nothing_left "$ns" || { nsx "$ns" ip xfrm state; nsx "$ns" ip xfrm policy;
		fail "osprey state left in $ns after the stop"; }
	left=$(nsx "$ns" ip route show table 220; nsx "$ns" ip rule)
	! grep -q 'proto 111\|lookup 220' <<<"$left" || { echo "$left"; fail "route/rule left in $ns"; }
done
nsx gwa ip xfrm policy | grep -q 'src 198.18.1.0/24' || fail "the foreign policy is gone"
! grep -E 'kernel.*error' "$W/gwa/ospreyd.log" "$W/gwb/ospreyd.log" ||
	fail "kernel errors in the ospreyd logs"
log "pass"
