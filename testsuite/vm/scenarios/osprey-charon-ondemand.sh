# On-demand tunnels between ospreyd and strongSwan's charon (kernel-netlink),
# each direction: first gwa's ospreyd has the trap (start_action = "trap")
# and charon answers; then charon has the trap and ospreyd answers (the
# packet's selector comes first in charon's TSi/TSr, RFC 7296 §2.9, and
# ospreyd narrows to its configured subnets).
#
#   hosta 10.1.0.2 --- gwa 192.0.2.1 ==wire== 192.0.2.2 gwb --- 10.2.0.2 hostb
#            (ospreyd)                      (charon)
#
# Passes when: each time, pings from the trapping side bring exactly one
# CHILD SA up and later pings cross both ways as ESP (no cleartext), the
# counters rise on both gateways; when charon initiated, ospreyd's policies
# are the configured /24 subnets; at the end nothing of osprey is left.
# vm-timeout: 200
. "$(dirname "$0")/../lib.sh"
require ip ping tcpdump ss "$OSPREYD" "$OSPREYCTL"
require swanctl "$CHARON"

log "topology"
osprey_gateways
# charon's trap policies get no route: hostb's first packet needs one.
route gwb 10.1.0.0/24 via 192.0.2.1

gwb_sas() { nsx gwb ip xfrm state | grep -c '^src'; }
both_up() { osprey_sas_up gwa && [ "$(gwb_sas)" -ge 2 ]; }
show() {
	osprey_dump gwa
	tail -30 "$(charon_dir gwb)/charon.log"
	nsx gwb ip xfrm state
	nsx gwb ip xfrm policy
}

capture_start wire br0 wan

log "1: ospreyd's trap, charon answers"
osprey_psk_conf gwa 'esp_proposals = "aes128gcm16"; start_action = "trap";'
charon_conf gwb
charon_psk_conf $'esp_proposals = aes128gcm16\nstart_action = none'
charon_start gwb
swan_load gwb
ospreyd_start gwa
wait_for 10 "gwa's trap" osprey_policies_ge gwa 3
nsx hosta ping -n -c 8 -i 0.3 -W 2 10.2.0.2 | tail -2
(wait_for 40 "SAs in both kernels" both_up) || { show; fail "the trap brought no CHILD SA up"; }
osprey_log_has gwa 'hit the trap' || { show; fail "gwa logged no trap hit"; }
[ "$(gwb_sas)" = 2 ] || { show; fail "charon has $(gwb_sas) SAs, expected one CHILD SA"; }
traffic_both_ways "ospreyd's trap"
ospreyd_stop gwa
wait_for 20 "charon's SAs to go" test "$(gwb_sas)" = 0 || true
osprey_nothing_left gwa || { show; fail "osprey state left in gwa"; }

log "2: charon's trap, ospreyd answers"
swan gwb --terminate --ike net --timeout 10 >/dev/null 2>&1
charon_psk_conf $'esp_proposals = aes128gcm16\nstart_action = trap'
swan_load gwb
osprey_psk_conf gwa 'esp_proposals = "aes128gcm16";'
ospreyd_start gwa
nsx hostb ping -n -c 8 -i 0.3 -W 2 10.1.0.2 | tail -2
(wait_for 40 "SAs in both kernels" both_up) || { show; fail "charon's trap brought no CHILD SA up"; }
pol=$(nsx gwa ip xfrm policy)
grep -c 'src 10.1.0.0/24 dst 10.2.0.0/24' <<<"$pol" >/dev/null ||
	{ echo "$pol"; fail "ospreyd did not narrow to its configured subnets"; }
traffic_both_ways "charon's trap"
capture_stop wan
assert_esp_no_plain wan 24 'icmp and (net 10.1.0.0/24 or net 10.2.0.0/24)'

log "stop"
ospreyd_stop gwa
osprey_nothing_left gwa || { show; fail "osprey state left in gwa after the stop"; }
log "pass"
