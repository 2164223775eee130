# ospreyd (kernel-xfrm) against strongSwan's charon (kernel-netlink) on a
# real ESP data path, both directions: gwa runs ospreyd, gwb charon; IKEv2
# PSK, net-to-net tunnel, ESP aes128gcm16.  First ospreyd initiates, then
# (after ospreyd's terminate) charon does.  Each time the hosts behind the
# gateways ping each other, the SA counters rise on both gateways, and the
# delete (by the initiator) leaves no osprey SA or policy in gwa's kernel and
# no SA in gwb's.  A capture on the link (bridge in "wire") shows ESP and no
# cleartext from the subnets throughout; ospreyd exits 0 and leaves nothing.
#
#   hosta 10.1.0.2 --- 10.1.0.1 gwa 192.0.2.1 ==wire== 192.0.2.2 gwb 10.2.0.1 --- 10.2.0.2 hostb
# vm-timeout: 170
. "$(dirname "$0")/../lib.sh"
OSPREYD=${OSPREYD:-$OSPREY_TOP/daemon/ospreyd}
OSPREYCTL=${OSPREYCTL:-$OSPREY_TOP/daemon/ospreyctl}
require ip ping tcpdump ss swanctl "$CHARON" "$OSPREYD" "$OSPREYCTL"
"$OSPREYD" --help >/dev/null 2>&1 || fail "$OSPREYD does not run"

log "topology"
ns_add gwa gwb
wire wire gwa wan 192.0.2.1/24 gwb wan 192.0.2.2/24
subnet_host gwa lan 10.1.0.1/24 hosta eth0 10.1.0.2/24
subnet_host gwb lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
forwarding gwa gwb
# No static routes: kernel-xfrm adds one in table 220 (its default), charon in
# table 220 too (each gateway has one daemon).

PSK=osprey-vm-test-bed-pre-shared-key
mkdir -p "$W/gwa"
cat >"$W/gwa/osprey.conf" <<EOC
kernel = { backend = "xfrm"; };
logging = { default = "info"; kernel = "debug"; };
connections = {
  net = {
    local_addrs = "192.0.2.1"; remote_addrs = "192.0.2.2";
    proposals = "aes128gcm16-prfsha256-x25519";
    local = { auth = "psk"; id = "gwa.osprey.test"; };
    remote = { auth = "psk"; id = "gwb.osprey.test"; };
    children = { net = { local_ts = "10.1.0.0/24"; remote_ts = "10.2.0.0/24";
      esp_proposals = "aes128gcm16"; }; };
  };
};
secrets = { ike-gw = { id = [ "gwa.osprey.test", "gwb.osprey.test" ]; secret = "$PSK"; }; };
EOC
charon_conf gwb
charon_psk_conf $'mode = tunnel\nesp_proposals = aes128gcm16\nstart_action = none'

octl() { "$OSPREYCTL" --socket "$W/gwa/ctl" "$@"; }
count_reqid() { # count_reqid NS state|policy: osprey's (reqid 0x6f000000-0x6fffffff)
	nsx "$1" ip xfrm "$2" | awk '/reqid/ { for (i = 1; i <= NF; i++) if ($i == "reqid" &&
		$(i + 1) >= 1862270976 && $(i + 1) <= 1879048191) n++ } END { print n + 0 }'
}
gwb_sas() { nsx gwb ip xfrm state | grep -c '^src'; }
up() { [ "$(count_reqid gwa state)" -ge 2 ] && [ "$(count_reqid gwa policy)" -ge 3 ] &&
	[ "$(gwb_sas)" -ge 2 ]; }
down() { [ "$(count_reqid gwa state)" = 0 ] && [ "$(count_reqid gwa policy)" = 0 ] &&
	[ "$(gwb_sas)" = 0 ]; }
show() {
	tail -25 "$W/gwa/ospreyd.log"
	tail -25 "$(charon_dir gwb)/charon.log"
	nsx gwa ip xfrm state
	nsx gwb ip xfrm state
}

log "daemons"
bg ip netns exec gwa "$OSPREYD" -c "$W/gwa/osprey.conf" -s "$W/gwa/ctl" -p "$W/gwa/pid" \
	--user root >"$W/gwa/ospreyd.log" 2>&1
OSPREYD_PID=$!
charon_start gwb
swan_load gwb
wait_for 30 "ospreyd in gwa" test -S "$W/gwa/ctl"
wait_udp gwa 500
wait_udp gwb 500

capture_start wire br0 wan

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

log "ospreyd initiates"
octl initiate net || { show; fail "ospreyctl initiate"; }
(wait_for 40 "SAs in both kernels (ospreyd initiating)" up) || { show; fail "no CHILD SA"; }
nsx gwa ip xfrm state | grep -E '^src|proto|aead' | sed 's/^/    gwa: /'
traffic "ospreyd initiator"
octl terminate net || fail "ospreyctl terminate"
(wait_for 20 "the SAs to go (ospreyd deleting)" down) || { show; fail "state left after terminate"; }

log "charon initiates"
swan gwb --initiate --child net --timeout 60 >"$W/initiate.log" 2>&1 ||
	{ tail -20 "$W/initiate.log"; show; fail "swanctl --initiate"; }
(wait_for 40 "SAs in both kernels (charon initiating)" up) || { show; fail "no CHILD SA"; }
traffic "charon initiator"
swan gwb --terminate --ike net --timeout 30 >"$W/terminate.log" 2>&1 ||
	{ tail -20 "$W/terminate.log"; fail "swanctl --terminate"; }
(wait_for 20 "the SAs to go (charon deleting)" down) || { show; fail "state left after charon's delete"; }
capture_stop wan
assert_esp_no_plain wan 24 'icmp or net 10.1.0.0/24 or net 10.2.0.0/24'

log "stop"
kill -TERM "$OSPREYD_PID"
wait "$OSPREYD_PID"
rc=$?
[ "$rc" = 0 ] || { tail -20 "$W/gwa/ospreyd.log"; fail "ospreyd exited $rc"; }
[ "$(count_reqid gwa state)" = 0 ] && [ "$(count_reqid gwa policy)" = 0 ] ||
	{ show; fail "osprey state left after the stop"; }
! grep -E 'kernel +error' "$W/gwa/ospreyd.log" || fail "kernel errors in ospreyd's log"
log "pass"
