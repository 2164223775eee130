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
require ip ping tcpdump ss "$OSPREYD" "$OSPREYCTL"

log "topology"
osprey_gateways

osprey_psk_conf gwa 'esp_proposals = "aes128gcm16"; dpd_action = "restart";' 'dpd_delay = 2; retransmit_timeout = 1; retransmit_tries = 2;'
osprey_psk_conf gwb 'esp_proposals = "aes128gcm16"; dpd_action = "restart";' 'dpd_delay = 2; retransmit_timeout = 1; retransmit_tries = 2;'
ospreyd_start gwa
ospreyd_start gwb

log "tunnel"
octl_ns gwa initiate net || { osprey_dump gwa; fail "ospreyctl initiate"; }
wait_for 30 "SAs in both kernels" osprey_sas_up gwa gwb
ping_ok hosta 10.2.0.2 3
old_spis=$(xfrm_counters gwa | awk '{ print $3 }' | sort | tr '\n' ' ')
log "gwa's SPIs: $old_spis"
# gwa's checks as INFORMATIONAL exchanges it initiated (ospreyctl stats).
dpd_sent() { octl_ns gwa --json stats | tr -d ' \n' |
	sed -n 's/.*"exchanges_initiated":{[^}]*"informational":\([0-9]*\).*/\1/p'; }
n0=$(dpd_sent)
# ESP from the peer is a sign of life (the kernel's counters, polled): 8 s of
# traffic, no liveness check.
ping_ok hosta 10.2.0.2 40
n1=$(dpd_sent)
sleep 5 # idle: checks every 2 s, answered; nothing may end
n2=$(dpd_sent)
log "liveness checks by gwa: $((n1 - n0)) during traffic, $((n2 - n1)) in 5 s idle"
[ "$n1" = "$n0" ] || fail "gwa sent $((n1 - n0)) liveness checks while the peer's traffic flowed"
[ "$((n2 - n1))" -ge 1 ] || fail "gwa sent no liveness check while idle"
osprey_log_has gwa 'dead peer' && fail "gwa declared a live peer dead"
ping_ok hosta 10.2.0.2 3

log "gwb crashes and comes back"
ospreyd_kill9 gwb
[ "$(osprey_xfrm gwb state)" -ge 2 ] || fail "gwb's SAs went with the crash (they should stay, stale)"
ospreyd_start gwb
wait_for 10 "gwb's start-up to flush the stale SAs" osprey_no_sas gwb

log "gwa finds the peer dead and restarts"
wait_for 40 "gwa to declare the peer dead" osprey_log_has gwa 'dead peer'
wait_for 30 "gwa to restart" osprey_log_has gwa 'restarting'
wait_for 30 "new SAs in both kernels" osprey_sas_up gwb
grep -E 'dead peer|restart' "$W/gwa/ospreyd.log" | sed 's/^/    gwa: /' | head -5
new_spis=$(xfrm_counters gwa | awk '{ print $3 }' | sort | tr '\n' ' ')
log "gwa's SPIs now: $new_spis"
for spi in $old_spis; do
	! grep -q "$spi" <<<"$new_spis" || { osprey_dump gwa; fail "gwa kept SA $spi of the dead peer"; }
done
[ "$(osprey_child_sas gwa)" = 2 ] || { osprey_dump gwa; fail "gwa has $(osprey_child_sas gwa) SAs, expected 2"; }
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
ospreyd_stop gwa gwb
log "pass"
