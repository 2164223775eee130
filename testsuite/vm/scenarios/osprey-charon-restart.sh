# Peers that crash and come back, between ospreyd (gwa) and strongSwan's
# charon (gwb, kernel-netlink), each way:
#  A. charon dies (SIGKILL, and gwb's kernel is flushed as a reboot would);
#     charon is started again but does not initiate: ospreyd's dead peer
#     detection (dpd_delay 2 s, retransmissions 1 s x 2) declares the old
#     IKE SA dead and, with dpd_action = "restart", brings the tunnel up again.
#  B. ospreyd dies (SIGKILL: its SAs stay, stale) and is started again with
#     start_action = "start": its start-up flushes the stale state and it
#     initiates with INITIAL_CONTACT (RFC 7296 §2.4), on which charon drops
#     the old IKE SA.
# Each time: traffic crosses as ESP (no cleartext), counters rise on both
# gateways, and each kernel holds exactly one CHILD SA pair with new SPIs.
#
#   hosta 10.1.0.2 --- gwa 192.0.2.1 ==wire== 192.0.2.2 gwb --- 10.2.0.2 hostb
#            (ospreyd)                      (charon)
# vm-timeout: 200
. "$(dirname "$0")/../lib.sh"
require ip ping tcpdump ss swanctl "$CHARON" "$OSPREYD" "$OSPREYCTL"

log "topology"
osprey_gateways

osprey_psk_conf gwa 'esp_proposals = "aes128gcm16"; dpd_action = "restart";' \
	'dpd_delay = 2; retransmit_timeout = 1; retransmit_tries = 2;'
charon_conf gwb
charon_psk_conf
gwb_sas() { nsx gwb ip xfrm state | grep -c '^src'; }
no_sas() { osprey_no_child_sas gwa && [ "$(gwb_sas)" = 0 ]; }
one_pair() { [ "$(osprey_child_sas gwa)" = 2 ] && [ "$(gwb_sas)" = 2 ]; }
fresh_pair() { # fresh_pair OLD-SPIS: one pair in each kernel, none of OLD in gwb's
	local spi
	one_pair || return 1
	for spi in $(xfrm_spis gwb); do case " $1 " in *" $spi "*) return 1 ;; esac; done
}
show() {
	osprey_dump gwa
	tail -30 "$(charon_dir gwb)/charon.log"
	nsx gwb ip xfrm state
}
charon_kill() { # SIGKILL of gwb's charon (its pid file is in its own /run)
	local pid
	pid=$(cat "$(charon_dir gwb)/run/charon.pid" 2>/dev/null) || fail "no charon pid file"
	kill -KILL "$pid"
	while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
	rm -f "$(charon_dir gwb)/charon.vici" "$(charon_dir gwb)/run/"*
}

log "tunnel (ospreyd initiates)"
charon_start gwb
swan_load gwb
ospreyd_start gwa
octl_ns gwa initiate net || { show; fail "ospreyctl initiate"; }
(wait_for 40 "one CHILD SA pair in both kernels" one_pair) || { show; fail "no CHILD SA"; }
traffic_both_ways "first tunnel"
old=$(xfrm_spis gwa)

log "A: charon dies, gwb's kernel is flushed, charon comes back without initiating"
capture_start wire br0 wan
charon_kill
nsx gwb ip xfrm state flush
nsx gwb ip xfrm policy flush
charon_start gwb
swan_load gwb
(wait_for 40 "gwa to declare the peer dead" osprey_log_has gwa 'dead peer') ||
	{ show; fail "ospreyd's DPD did not find the dead IKE SA"; }
(wait_for 40 "a new CHILD SA pair (dpd_action = restart)" one_pair) || { show; fail "no new CHILD SA"; }
new=$(xfrm_spis gwa)
for spi in $old; do case " $new " in *" $spi "*) show; fail "gwa kept SA $spi";; esac; done
grep -E 'dead peer|restarting' "$W/gwa/ospreyd.log" | sed 's/^/    gwa: /' | head -4
traffic_both_ways "after charon's restart"
old=$new

log "B: ospreyd dies and comes back initiating with INITIAL_CONTACT"
ospreyd_kill9 gwa
osprey_psk_conf gwa 'esp_proposals = "aes128gcm16"; start_action = "start";'
ospreyd_start gwa
(wait_for 40 "charon to drop the old SAs for the new pair" fresh_pair "$old") ||
	{ show; fail "charon did not replace the old SAs (INITIAL_CONTACT)"; }
grep -E 'INITIAL_CONTACT|deleting IKE_SA|replaced' "$(charon_dir gwb)/charon.log" | sed 's/^/    gwb: /' | head -4
grep -q 'start-up (stale state of an earlier ospreyd): removed [1-9]' "$W/gwa/ospreyd.log" ||
	fail "the restarted ospreyd did not flush its stale SAs"
traffic_both_ways "after ospreyd's restart"
capture_stop wan
assert_esp_no_plain wan 24 'icmp and (net 10.1.0.0/24 or net 10.2.0.0/24)'

log "stop"
octl_ns gwa terminate net || fail "ospreyctl terminate"
(wait_for 20 "the SAs to go" no_sas) || { show; fail "SAs left after terminate"; }
ospreyd_stop gwa
log "pass"
