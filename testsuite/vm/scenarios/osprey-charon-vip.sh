# Virtual IPs between ospreyd and strongSwan's charon on a real ESP path,
# both ways round: first an ospreyd road warrior (vips = ["0.0.0.0"]) gets
# an address from a charon gateway's pool (swanctl pools { }), then a
# charon road warrior (vips = 0.0.0.0) gets one from an ospreyd gateway's
# pool.  Each time 10.3.0.1 ends up on the road warrior's wan, a ping from
# it to hostb crosses as ESP and is answered, and ospreyd's list-sas shows
# the address; ospreyd's delete removes it (phase 1) and charon's delete
# returns the lease to ospreyd's pool (phase 2).
#
#   rw 192.0.2.1 [+ 10.3.0.1] ==wire== 192.0.2.2 gw 10.2.0.1 --- 10.2.0.2 hostb
# vm-timeout: 170
. "$(dirname "$0")/../lib.sh"
OSPREYD=${OSPREYD:-$OSPREY_TOP/daemon/ospreyd}
OSPREYCTL=${OSPREYCTL:-$OSPREY_TOP/daemon/ospreyctl}
require ip ping tcpdump ss swanctl "$CHARON" "$OSPREYD" "$OSPREYCTL"
"$OSPREYD" --help >/dev/null 2>&1 || fail "$OSPREYD does not run"

log "topology"
ns_add rw gw
wire wire rw wan 192.0.2.1/24 gw wan 192.0.2.2/24
subnet_host gw lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
forwarding gw

PSK=osprey-vm-vip-pre-shared-key
SECRETS="secrets {
  ike-rw {
    id-a = rw.osprey.test
    id-b = gw.osprey.test
    secret = \"$PSK\"
  }
}"
mkdir -p "$W/rw" "$W/gw"
cat >"$W/rw/osprey.conf" <<EOC
kernel = { backend = "xfrm"; };
logging = { default = "info"; kernel = "debug"; };
connections = {
  home = {
    local_addrs = "192.0.2.1"; remote_addrs = "192.0.2.2";
    proposals = "aes128gcm16-prfsha256-x25519";
    vips = [ "0.0.0.0" ];
    local = { auth = "psk"; id = "rw.osprey.test"; };
    remote = { auth = "psk"; id = "gw.osprey.test"; };
    children = { home = { remote_ts = "10.2.0.0/24"; esp_proposals = "aes128gcm16"; }; };
  };
};
secrets = { ike-rw = { id = [ "rw.osprey.test", "gw.osprey.test" ]; secret = "$PSK"; }; };
EOC
cat >"$W/gw/osprey.conf" <<EOC
kernel = { backend = "xfrm"; };
logging = { default = "info"; kernel = "debug"; };
pools = { rw = { addrs = "10.3.0.0/28"; }; };
connections = {
  rw = {
    local_addrs = "192.0.2.2";
    proposals = "aes128gcm16-prfsha256-x25519";
    pools = [ "rw" ];
    local = { auth = "psk"; id = "gw.osprey.test"; };
    remote = { auth = "psk"; id = "rw.osprey.test"; };
    children = { rw = { local_ts = "10.2.0.0/24"; esp_proposals = "aes128gcm16"; }; };
  };
};
secrets = { ike-rw = { id = [ "rw.osprey.test", "gw.osprey.test" ]; secret = "$PSK"; }; };
EOC
charon_conf gw
cat >"$(charon_dir gw)/swanctl.conf" <<EOC
connections {
  rw {
    version = 2
    local_addrs = 192.0.2.2
    pools = rw
    proposals = aes128gcm16-prfsha256-x25519
    encap = no
    mobike = no
    local {
      auth = psk
      id = gw.osprey.test
    }
    remote {
      auth = psk
      id = rw.osprey.test
    }
    children {
      rw {
        local_ts = 10.2.0.0/24
        esp_proposals = aes128gcm16
      }
    }
  }
}
pools {
  rw {
    addrs = 10.3.0.0/28
  }
}
$SECRETS
EOC
charon_conf rw
cat >"$(charon_dir rw)/swanctl.conf" <<EOC
connections {
  home {
    version = 2
    local_addrs = 192.0.2.1
    remote_addrs = 192.0.2.2
    vips = 0.0.0.0
    proposals = aes128gcm16-prfsha256-x25519
    encap = no
    mobike = no
    local {
      auth = psk
      id = rw.osprey.test
    }
    remote {
      auth = psk
      id = gw.osprey.test
    }
    children {
      home {
        remote_ts = 10.2.0.0/24
        esp_proposals = aes128gcm16
        start_action = none
      }
    }
  }
}
$SECRETS
EOC

octl() { local ns=$1; shift; "$OSPREYCTL" --socket "$W/$ns/ctl" "$@"; }
osprey_start() { # osprey_start NS
	bg ip netns exec "$1" "$OSPREYD" -c "$W/$1/osprey.conf" -s "$W/$1/ctl" -p "$W/$1/pid" \
		--user root >"$W/$1/ospreyd.log" 2>&1
	OSPREYD_PID=$!
	wait_for 30 "ospreyd in $1" test -S "$W/$1/ctl"
	wait_udp "$1" 500
}
osprey_stop() { # osprey_stop NS
	kill -TERM "$OSPREYD_PID"
	wait "$OSPREYD_PID"
	rc=$?
	[ "$rc" = 0 ] || { tail -20 "$W/$1/ospreyd.log"; fail "ospreyd in $1 exited $rc"; }
}
charon_stop() { # charon_stop NS: its pid file is in its own /run (charon_start)
	local d pid
	d=$(charon_dir "$1")
	pid=$(cat "$d/run/charon.pid" 2>/dev/null) || fail "no pid file of charon in $1"
	kill -TERM "$pid"
	wait_for 15 "charon in $1 to stop" sh -c "! kill -0 $pid 2>/dev/null"
	wait_for 10 "UDP 500 to be free in $1" sh -c "! ip netns exec $1 ss -Hunl 'sport = :500' | grep -q ."
}
has_vip() { grep -q 'inet 10\.3\.0\.1/32' <<<"$(nsx rw ip -4 addr show dev wan)"; }
no_vip() { ! grep -q 'inet 10\.3\.0\.' <<<"$(nsx rw ip -4 addr show dev wan)"; }
sas_up() { [ "$(nsx rw ip xfrm state | grep -c '^src')" -ge 2 ] &&
	[ "$(nsx gw ip xfrm state | grep -c '^src')" -ge 2 ]; }
no_sas() { [ "$(nsx rw ip xfrm state | grep -c '^src')" = 0 ] &&
	[ "$(nsx gw ip xfrm state | grep -c '^src')" = 0 ]; }
show() { tail -25 "$W/$1/ospreyd.log"; tail -25 "$(charon_dir "$2")/charon.log";
	nsx rw ip addr show dev wan; nsx rw ip xfrm policy; nsx rw ip route show table 220; }

capture_start wire br0 wan

log "phase 1: ospreyd road warrior, charon gateway"
charon_start gw
swan_load gw
osprey_start rw
octl rw initiate home || { show rw gw; fail "ospreyctl initiate"; }
(wait_for 40 "the CHILD SA in both kernels" sas_up) || { show rw gw; fail "no CHILD SA"; }
(wait_for 10 "10.3.0.1/32 on rw's wan" has_vip) || { show rw gw; fail "no VIP from charon's pool"; }
grep -q 'src 10.3.0.1/32 dst 10.2.0.0/24' <<<"$(nsx rw ip xfrm policy)" ||
	{ show rw gw; fail "rw's policy is not VIP -> 10.2.0.0/24"; }
grep -q '10.2.0.0/24 .*src 10.3.0.1' <<<"$(nsx rw ip route show table 220)" ||
	{ show rw gw; fail "rw's route does not use the VIP as source"; }
grep -q 'vip 10.3.0.1' <<<"$(octl rw list-sas)" || fail "list-sas does not show the VIP"
swan gw --list-pools --leases 2>&1 | sed 's/^/    charon: /'
ping_ok rw 10.2.0.2 3
octl rw terminate home || fail "ospreyctl terminate"
(wait_for 20 "the SAs to go" no_sas) || { show rw gw; fail "SAs left after terminate"; }
(wait_for 10 "the VIP to leave rw's wan" no_vip) || fail "the VIP stays after terminate"
osprey_stop rw
charon_stop gw

log "phase 2: charon road warrior, ospreyd gateway"
osprey_start gw
charon_start rw
swan_load rw
swan rw --initiate --child home --timeout 60 >"$W/initiate.log" 2>&1 ||
	{ tail -20 "$W/initiate.log"; show gw rw; fail "swanctl --initiate"; }
(wait_for 40 "the CHILD SA in both kernels" sas_up) || { show gw rw; fail "no CHILD SA"; }
(wait_for 10 "10.3.0.1/32 on rw's wan (charon's)" has_vip) ||
	{ nsx rw ip addr; tail -30 "$(charon_dir rw)/charon.log"; fail "charon got no VIP from ospreyd"; }
grep -q 'assigning virtual IP 10.3.0.1 from pool rw' "$W/gw/ospreyd.log" ||
	fail "ospreyd did not log the lease"
octl gw list-sas | tee "$W/gw-list-sas.txt" | sed 's/^/    /'
grep -q 'vip 10.3.0.1' "$W/gw-list-sas.txt" || fail "ospreyd's list-sas does not show the lease"
grep -q 'src 10.2.0.0/24 dst 10.3.0.1/32' <<<"$(nsx gw ip xfrm policy)" ||
	{ nsx gw ip xfrm policy; fail "ospreyd's policy is not 10.2.0.0/24 -> VIP"; }
ping_ok rw 10.2.0.2 3
swan rw --terminate --ike home --timeout 30 >"$W/terminate.log" 2>&1 ||
	{ tail -20 "$W/terminate.log"; fail "swanctl --terminate"; }
(wait_for 20 "the SAs to go" no_sas) || { show gw rw; fail "SAs left after charon's delete"; }
wait_for 10 "the lease back in ospreyd's pool" \
	grep -q 'virtual IP 10.3.0.1 back to pool rw' "$W/gw/ospreyd.log"
capture_stop wan
assert_esp_no_plain wan 12 'icmp or net 10.3.0.0/24 or net 10.2.0.0/24'
osprey_stop gw
! grep -E 'kernel +error' "$W/rw/ospreyd.log" "$W/gw/ospreyd.log" ||
	fail "kernel errors in the ospreyd logs"
log "pass"
