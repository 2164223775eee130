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
. "$(dirname "$0")/../lib-osprey.sh"
require swanctl "$CHARON"

log "topology"
ns_add gwa gwb
wire wire gwa wan 192.0.2.1/24 gwb wan 192.0.2.2/24
subnet_host gwa lan 10.1.0.1/24 hosta eth0 10.1.0.2/24
subnet_host gwb lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
forwarding gwa gwb
# charon's trap policies get no route: hostb's first packet needs one.
route gwb 10.1.0.0/24 via 192.0.2.1

PSK=osprey-vm-test-bed-pre-shared-key
osp_conf() { # osp_conf START_ACTION
	mkdir -p "$W/gwa"
	cat >"$W/gwa/osprey.conf" <<-EOF
		kernel = { backend = "xfrm"; };
		logging = { default = "info"; kernel = "debug"; };
		connections = {
		  net = {
		    local_addrs = "192.0.2.1"; remote_addrs = "192.0.2.2";
		    proposals = "aes128gcm16-prfsha256-x25519";
		    local = { auth = "psk"; id = "gwa.osprey.test"; };
		    remote = { auth = "psk"; id = "gwb.osprey.test"; };
		    children = { net = { local_ts = "10.1.0.0/24"; remote_ts = "10.2.0.0/24";
		      esp_proposals = "aes128gcm16"; start_action = "$1"; }; };
		  };
		};
		secrets = { ike-gw = { id = [ "gwa.osprey.test", "gwb.osprey.test" ]; secret = "$PSK"; }; };
	EOF
}
swan_conf() { # swan_conf START_ACTION
	cat >"$(charon_dir gwb)/swanctl.conf" <<-EOF
		connections {
		  net {
		    version = 2
		    local_addrs = 192.0.2.2
		    remote_addrs = 192.0.2.1
		    proposals = aes128gcm16-prfsha256-x25519
		    encap = no
		    mobike = no
		    local { auth = psk
		      id = gwb.osprey.test }
		    remote { auth = psk
		      id = gwa.osprey.test }
		    children {
		      net {
		        local_ts = 10.2.0.0/24
		        remote_ts = 10.1.0.0/24
		        esp_proposals = aes128gcm16
		        start_action = $1
		      }
		    }
		  }
		}
		secrets {
		  ike-peers {
		    id-a = gwa.osprey.test
		    id-b = gwb.osprey.test
		    secret = "$PSK"
		  }
		}
	EOF
}
gwb_sas() { nsx gwb ip xfrm state | grep -c '^src'; }
both_up() { osp_sas_up gwa && [ "$(gwb_sas)" -ge 2 ]; }
show() {
	osp_dump gwa
	tail -30 "$(charon_dir gwb)/charon.log"
	nsx gwb ip xfrm state
	nsx gwb ip xfrm policy
}
traffic() { # traffic WHO: pings both ways, counters rise on both gateways
	local ba bb
	ba=$(xfrm_total gwa)
	bb=$(xfrm_total gwb)
	ping_ok hosta 10.2.0.2 3
	ping_ok hostb 10.1.0.2 3
	assert_xfrm_rise gwa "$ba" 12
	assert_xfrm_rise gwb "$bb" 12
	log "$1: traffic passed"
}

capture_start wire br0 wan

log "1: ospreyd's trap, charon answers"
osp_conf trap
charon_conf gwb
swan_conf none
charon_start gwb
swan_load gwb
osp_start gwa
wait_for 10 "gwa's trap" osp_policies_ge gwa 3
nsx hosta ping -n -c 8 -i 0.3 -W 2 10.2.0.2 | tail -2
(wait_for 40 "SAs in both kernels" both_up) || { show; fail "the trap brought no CHILD SA up"; }
osp_log_has gwa 'hit the trap' || { show; fail "gwa logged no trap hit"; }
[ "$(gwb_sas)" = 2 ] || { show; fail "charon has $(gwb_sas) SAs, expected one CHILD SA"; }
traffic "ospreyd's trap"
osp_stop gwa
wait_for 20 "charon's SAs to go" test "$(gwb_sas)" = 0 || true
osp_nothing_left gwa || { show; fail "osprey state left in gwa"; }

log "2: charon's trap, ospreyd answers"
swan gwb --terminate --ike net --timeout 10 >/dev/null 2>&1
swan_conf trap
swan_load gwb
osp_conf none
osp_start gwa
nsx hostb ping -n -c 8 -i 0.3 -W 2 10.1.0.2 | tail -2
(wait_for 40 "SAs in both kernels" both_up) || { show; fail "charon's trap brought no CHILD SA up"; }
pol=$(nsx gwa ip xfrm policy)
grep -c 'src 10.1.0.0/24 dst 10.2.0.0/24' <<<"$pol" >/dev/null ||
	{ echo "$pol"; fail "ospreyd did not narrow to its configured subnets"; }
traffic "charon's trap"
capture_stop wan
assert_esp_no_plain wan 24 'icmp and (net 10.1.0.0/24 or net 10.2.0.0/24)'

log "stop"
osp_stop gwa
osp_nothing_left gwa || { show; fail "osprey state left in gwa after the stop"; }
log "pass"
