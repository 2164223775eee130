# An on-demand tunnel: gwa's child has start_action = "trap", so ospreyd
# installs its policies without SAs at start; the first packet from hosta to
# hostb makes the kernel send an ACQUIRE and ospreyd negotiates the CHILD SA
# (the packet's addresses go first in the traffic selectors, RFC 7296 §2.9).
#
#   hosta 10.1.0.2 --- gwa 192.0.2.1 ==wire== 192.0.2.2 gwb --- 10.2.0.2 hostb
#
# Passes when: the trap (out, in, fwd policies, no SA) is there before any
# traffic; a burst of pings brings exactly one IKE SA and one CHILD SA up
# and later pings are all answered over ESP (no cleartext on the wire,
# counters rise); gwb narrowed to the configured subnets; after `ospreyctl
# terminate` the SAs go but the trap stays, and the next ping brings the
# tunnel up again; the stop leaves nothing of osprey in either kernel.
# vm-timeout: 150
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-osprey.sh"

log "topology"
ns_add gwa gwb
wire wire gwa wan 192.0.2.1/24 gwb wan 192.0.2.2/24
subnet_host gwa lan 10.1.0.1/24 hosta eth0 10.1.0.2/24
subnet_host gwb lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
forwarding gwa gwb
# No route to the remote subnets: the trap's out policy gets kernel-xfrm's
# route in table 220, which leads hosta's first packet to the trap.

conf() { # conf NS PEER MY_ADDR PEER_ADDR MY_NET PEER_NET START_ACTION
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
		      esp_proposals = "aes128gcm16"; start_action = "$7"; }; };
		  };
		};
		$OSPREY_PSK_SECRETS
	EOF
}
conf gwa gwb 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 trap
conf gwb gwa 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 none
osp_start gwb
osp_start gwa

log "the trap, before any traffic"
wait_for 10 "gwa's trap policies" osp_policies_ge gwa 3
nsx gwa ip xfrm policy | sed 's/^/    /'
[ "$(osp_states gwa)" = 0 ] || fail "gwa has SAs before any traffic"
osp_log_has gwa 'trap installed' || fail "gwa did not log the trap"
n=$(octl gwa --json list-sas | grep -c '"unique_id"')
[ "$n" = 0 ] || fail "gwa has SAs before any traffic"

capture_start wire br0 wan

log "first packets: the ACQUIRE starts the tunnel"
# Several pings while the SA is negotiated: the kernel drops them (larval
# state) and sends ACQUIREs; only one negotiation may start.
nsx hosta ping -n -c 10 -i 0.3 -W 2 10.2.0.2 | tail -2
wait_for 30 "SAs in both kernels" osp_sas_up gwa
osp_log_has gwa 'hit the trap' || { osp_dump gwa; fail "gwa did not log the trap hit"; }
ping_ok hosta 10.2.0.2 5
ping_ok hostb 10.1.0.2 3
sas=$(octl gwa --json list-sas)
n_child=$(grep -c '"spi_in"' <<<"$sas")
log "gwa: $(grep -c '"version"' <<<"$sas") IKE SA(s), $n_child CHILD SA(s)"
[ "$(grep -c '"version"' <<<"$sas")" = 1 ] && [ "$n_child" = 1 ] ||
	{ echo "$sas"; fail "the pings started more than one IKE or CHILD SA"; }
nsx gwb ip xfrm policy | grep -c 'src 10.2.0.0/24 dst 10.1.0.0/24' >/dev/null ||
	{ osp_dump gwb; fail "gwb did not narrow to the configured subnets"; }
before_a=$(xfrm_total gwa)
before_b=$(xfrm_total gwb)
ping_ok hosta 10.2.0.2 3
assert_xfrm_rise gwa "$before_a" 3
assert_xfrm_rise gwb "$before_b" 3

log "terminate: the SAs go, the trap stays"
octl gwa terminate net || fail "ospreyctl terminate"
wait_for 20 "gwa's SAs to go" osp_no_child_sas gwa
wait_for 20 "gwb's SAs to go" osp_no_child_sas gwb
[ "$(osp_policies gwa)" -ge 3 ] || { osp_dump gwa; fail "the trap went with the SAs"; }
[ "$(osp_policies gwb)" = 0 ] || { osp_dump gwb; fail "gwb kept policies"; }

log "traffic again brings the tunnel back"
nsx hosta ping -n -c 5 -i 0.3 -W 2 10.2.0.2 | tail -2
wait_for 30 "SAs again" osp_sas_up gwa
ping_ok hosta 10.2.0.2 3
capture_stop wan
assert_esp_no_plain wan 10 'icmp and (net 10.1.0.0/24 or net 10.2.0.0/24)'

log "stop"
osp_stop gwa
osp_stop gwb
for ns in gwa gwb; do
	osp_nothing_left "$ns" || { osp_dump "$ns"; fail "osprey state left in $ns after the stop"; }
done
log "pass"
