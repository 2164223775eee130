# A peer that restarts without telling us (RFC 7296 §2.4): two ospreyd
# gateways, tunnel up (gwa initiated), then gwb's ospreyd is killed with
# SIGKILL: its kernel SAs and policies stay behind, stale.  gwb's ospreyd is
# started again with start_action = "start": at start-up kernel-xfrm flushes
# the stale osprey state, then it initiates with INITIAL_CONTACT, on which
# gwa must drop its old IKE SA and CHILD SA (and their kernel SAs).
#
# Passes when: after the kill gwb's kernel still holds the old SAs; the
# restarted ospreyd logs the start-up flush; gwa logs the old IKE SA
# "replaced (INITIAL_CONTACT)" and is left with exactly one IKE SA (new
# SPIs, gwa the responder) and exactly two osprey SAs in each kernel, none
# of them an old SPI; the hosts ping each other over the new SAs (ESP on
# the link, no cleartext, counters rise on every SA of both gateways); and
# terminate + SIGTERM leave no osprey SA or policy on either side.
#
#   hosta 10.1.0.2 --- 10.1.0.1 gwa 192.0.2.1 ==wire== 192.0.2.2 gwb 10.2.0.1 --- 10.2.0.2 hostb
# vm-timeout: 150
. "$(dirname "$0")/../lib.sh"
require ip ping tcpdump ss "$OSPREYD" "$OSPREYCTL"

log "topology"
ns_add gwa gwb
wire wire gwa wan 192.0.2.1/24 gwb wan 192.0.2.2/24
subnet_host gwa lan 10.1.0.1/24 hosta eth0 10.1.0.2/24
subnet_host gwb lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
forwarding gwa gwb

conf() { # conf NS PEER MY PEERADDR MYNET PEERNET [CHILD-EXTRA]
	mkdir -p "$W/$1"
	cat >"$W/$1/osprey.conf" <<-EOC
		kernel = { backend = "xfrm"; };
		logging = { default = "info"; kernel = "debug"; };
		connections = {
		  net = {
		    local_addrs = "$3"; remote_addrs = "$4";
		    proposals = "aes128gcm16-prfsha256-x25519";
		    local = { auth = "psk"; id = "$1.osprey.test"; };
		    remote = { auth = "psk"; id = "$2.osprey.test"; };
		    children = { net = { local_ts = "$5"; remote_ts = "$6";
		      esp_proposals = "aes128gcm16"; ${7:-} }; };
		  };
		};
		secrets = { ike-gw = { id = [ "gwa.osprey.test", "gwb.osprey.test" ];
		  secret = "osprey-vm-test-bed-pre-shared-key"; }; };
	EOC
}
# Exactly two osprey SAs in each kernel, none of them one of OLD.
fresh_pair() { # fresh_pair OLD-SPIS
	local ns spi now
	for ns in gwa gwb; do
		now=$(xfrm_spis $ns)
		[ "$(wc -w <<<"$now")" = 2 ] && [ "$(osprey_xfrm $ns state)" = 2 ] || return 1
		[ "$(osprey_xfrm $ns policy)" -ge 3 ] || return 1
		for spi in $now; do case " $1 " in *" $spi "*) return 1 ;; esac; done
	done
}
up() { local ns; for ns in gwa gwb; do [ "$(osprey_xfrm $ns state)" -ge 2 ] &&
	[ "$(osprey_xfrm $ns policy)" -ge 3 ] || return 1; done; }
show() { tail -30 "$W/gwa/ospreyd.log"; tail -30 "$W/gwb/ospreyd.log"; nsx gwa ip xfrm state; nsx gwb ip xfrm state; }

log "ospreyd"
conf gwa gwb 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24
conf gwb gwa 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24
ospreyd_start gwa gwb
octl_ns gwa initiate net || { show; fail "ospreyctl initiate"; }
(wait_for 40 "SAs in both kernels" up) || { show; fail "no CHILD SA"; }
old_spis=$(xfrm_spis gwa)
old_ike=$(osprey_ike_spis gwa)
log "tunnel up: SPIs $old_spis, IKE SA $old_ike"
ping_ok hosta 10.2.0.2 2

log "kill -9 gwb's ospreyd"
ospreyd_kill9 gwb
[ "$(xfrm_spis gwb)" = "$old_spis" ] || { nsx gwb ip xfrm state; fail "gwb's kernel SAs did not survive the kill"; }
echo "    gwb's kernel keeps the stale SAs $(xfrm_spis gwb)"

log "restart gwb's ospreyd with start_action = start"
capture_start wire br0 wan
conf gwb gwa 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 'start_action = "start";'
ospreyd_start gwb
(wait_for 40 "a fresh SA pair in both kernels (old ones gone)" fresh_pair "$old_spis") ||
	{ show; fail "the old SAs were not replaced by new ones"; }
grep -h 'start-up' "$W/gwb/ospreyd.log" | sed 's/^/    gwb: /'
grep -q 'start-up (stale state of an earlier ospreyd): removed [1-9]' "$W/gwb/ospreyd.log" ||
	fail "the restarted ospreyd did not flush the stale SAs"
grep -h 'INITIAL_CONTACT' "$W/gwa/ospreyd.log" | sed 's/^/    gwa: /'
grep -q 'replaced (INITIAL_CONTACT)' "$W/gwa/ospreyd.log" ||
	{ show; fail "gwa did not drop its old IKE SA on INITIAL_CONTACT"; }
new_ike=$(osprey_ike_spis gwa)
log "new SPIs $(xfrm_spis gwa), IKE SA $new_ike"
[ "$(wc -w <<<"$new_ike")" = 1 ] && [ "$new_ike" != "$old_ike" ] ||
	{ octl_ns gwa list-sas; fail "gwa does not hold exactly one, new, IKE SA"; }
octl_ns gwa --json list-sas | grep -q '"role": *"responder"' ||
	{ octl_ns gwa list-sas; fail "gwa is not the responder of the new IKE SA"; }
before_a=$(xfrm_total gwa)
before_b=$(xfrm_total gwb)

log "traffic over the new SAs"
ping_ok hosta 10.2.0.2 3
ping_ok hostb 10.1.0.2 3
capture_stop wan
assert_esp_no_plain wan 12 'icmp or net 10.1.0.0/24 or net 10.2.0.0/24'
assert_xfrm_rise gwa "$before_a" 12
assert_xfrm_rise gwb "$before_b" 12

log "terminate and stop"
octl_ns gwb terminate net || fail "ospreyctl terminate"
wait_for 20 "gwa's osprey state to go" osprey_nothing_left gwa
wait_for 20 "gwb's osprey state to go" osprey_nothing_left gwb
ospreyd_stop gwa gwb
! grep -E 'kernel +error' "$W/gwa/ospreyd.log" "$W/gwb/ospreyd.log" || fail "kernel errors logged"
log "pass"
