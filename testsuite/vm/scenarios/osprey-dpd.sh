# Dead peer detection: gwb's ospreyd is killed (SIGKILL, a crash) and
# started again; gwa's DPD (dpd_delay 2 s, retransmissions 1 s x 2) finds
# the IKE SA dead, removes its SAs and, with dpd_action = "restart",
# negotiates a new one with the restarted gwb.
#
#   hosta 10.1.0.2 --- gwa 192.0.2.1 ==wire== 192.0.2.2 gwb --- 10.2.0.2 hostb
#
# Passes when: the tunnel carries pings; after the crash the restarted gwb
# starts without the stale SAs of its previous run; gwa logs the dead peer
# and the restart; a new IKE SA and CHILD SA (new SPIs) carry pings again
# over ESP with counters rising; gwa keeps no SA of the dead one; the stop
# leaves nothing of osprey in either kernel.
# vm-timeout: 150
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-osprey.sh"

log "topology"
ns_add gwa gwb
wire wire gwa wan 192.0.2.1/24 gwb wan 192.0.2.2/24
subnet_host gwa lan 10.1.0.1/24 hosta eth0 10.1.0.2/24
subnet_host gwb lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
forwarding gwa gwb

conf() { # conf NS PEER MY_ADDR PEER_ADDR MY_NET PEER_NET
	mkdir -p "$W/$1"
	cat >"$W/$1/osprey.conf" <<-EOF
		kernel = { backend = "xfrm"; };
		logging = { default = "info"; kernel = "debug"; };
		connections = {
		  net = {
		    local_addrs = "$3"; remote_addrs = "$4";
		    proposals = "aes128gcm16-prfsha256-x25519";
		    dpd_delay = 2; retransmit_timeout = 1; retransmit_tries = 2;
		    local = { auth = "psk"; id = "$1.osprey.test"; };
		    remote = { auth = "psk"; id = "$2.osprey.test"; };
		    children = { net = { local_ts = "$5"; remote_ts = "$6";
		      esp_proposals = "aes128gcm16"; dpd_action = "restart"; }; };
		  };
		};
		$OSPREY_PSK_SECRETS
	EOF
}
conf gwa gwb 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24
conf gwb gwa 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24
osp_start gwa
osp_start gwb

log "tunnel"
octl gwa initiate net || { osp_dump gwa; fail "ospreyctl initiate"; }
wait_for 30 "SAs in both kernels" osp_sas_up gwa gwb
ping_ok hosta 10.2.0.2 3
old_spis=$(xfrm_counters gwa | awk '{ print $3 }' | sort | tr '\n' ' ')
log "gwa's SPIs: $old_spis"
sleep 5 # a few DPD rounds with a live peer: nothing may end
osp_log_has gwa 'dead peer' && fail "gwa declared a live peer dead"
ping_ok hosta 10.2.0.2 3

log "gwb crashes and comes back"
osp_kill gwb
[ "$(osp_states gwb)" -ge 2 ] || fail "gwb's SAs went with the crash (they should stay, stale)"
osp_start gwb
wait_for 10 "gwb's start-up to flush the stale SAs" osp_no_sas gwb

log "gwa finds the peer dead and restarts"
wait_for 40 "gwa to declare the peer dead" osp_log_has gwa 'dead peer'
wait_for 30 "gwa to restart" osp_log_has gwa 'restarting'
wait_for 30 "new SAs in both kernels" osp_sas_up gwb
grep -E 'dead peer|restart' "$W/gwa/ospreyd.log" | sed 's/^/    gwa: /' | head -5
new_spis=$(xfrm_counters gwa | awk '{ print $3 }' | sort | tr '\n' ' ')
log "gwa's SPIs now: $new_spis"
for spi in $old_spis; do
	! grep -q "$spi" <<<"$new_spis" || { osp_dump gwa; fail "gwa kept SA $spi of the dead peer"; }
done
[ "$(osp_child_states gwa)" = 2 ] || { osp_dump gwa; fail "gwa has $(osp_child_states gwa) SAs, expected 2"; }
capture_start wire br0 wan
before_a=$(xfrm_total gwa)
before_b=$(xfrm_total gwb)
ping_ok hosta 10.2.0.2 5
ping_ok hostb 10.1.0.2 3
capture_stop wan
assert_esp_no_plain wan 10 'icmp and (net 10.1.0.0/24 or net 10.2.0.0/24)'
assert_xfrm_rise gwa "$before_a" 8
assert_xfrm_rise gwb "$before_b" 8

log "stop"
osp_stop gwa
osp_stop gwb
for ns in gwa gwb; do
	osp_nothing_left "$ns" || { osp_dump "$ns"; fail "osprey state left in $ns after the stop"; }
done
log "pass"
