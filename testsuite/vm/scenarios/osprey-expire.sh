# The kernel's lifetimes drive the CHILD SA: byte limits (rekey_bytes 30000,
# life_bytes 60000) make the kernel send a soft EXPIRE, on which ospreyd
# rekeys, and a hard EXPIRE, on which it deletes the CHILD SA.
#
#   hosta 10.1.0.2 --- gwa 192.0.2.1 ==wire== 192.0.2.2 gwb --- 10.2.0.2 hostb
#
# Passes when: (1) 1000-byte pings through the tunnel pass the soft limit,
# gwa logs the kernel's soft expiry, the CHILD SA is rekeyed (new SPIs in
# both kernels, the old ones gone) and every ping is answered; (2) with
# gwb's ospreyd frozen (SIGSTOP) the rekey cannot complete, the hard limit
# is reached and gwa deletes the CHILD SA (its SAs leave the kernel); after
# SIGCONT and the stop nothing of osprey is left.
# vm-timeout: 180
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
		    dpd_delay = 0;
		    local = { auth = "psk"; id = "$1.osprey.test"; };
		    remote = { auth = "psk"; id = "$2.osprey.test"; };
		    children = { net = { local_ts = "$5"; remote_ts = "$6";
		      esp_proposals = "aes128gcm16"; rekey_bytes = 30000; life_bytes = 60000; }; };
		  };
		};
		$OSPREY_PSK_SECRETS
	EOF
}
conf gwa gwb 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24
conf gwb gwa 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24
osp_start gwa
osp_start gwb
spis() { xfrm_counters "$1" | awk '{ print $3 }' | sort | tr '\n' ' '; }
osp_exactly2() { [ "$(osp_child_states gwa)" = 2 ] && [ "$(osp_child_states gwb)" = 2 ]; }

log "tunnel"
octl gwa initiate net || { osp_dump gwa; fail "ospreyctl initiate"; }
wait_for 30 "SAs in both kernels" osp_sas_up gwa gwb
nsx gwa ip xfrm state | grep -E '^src|limit' | sed 's/^/    /'
nsx gwa ip -s xfrm state | grep -A2 'lifetime config' | head -3 | sed 's/^/    /'
nsx gwa ip -s xfrm state | grep -c 'limit: soft 30000(bytes), hard 60000(bytes)' >/dev/null ||
	fail "gwa's SAs do not have the byte limits 30000 / 60000"
old_a=$(spis gwa)
old_b=$(spis gwb)
log "SPIs: gwa $old_a, gwb $old_b"

log "phase 1: the soft byte limit rekeys"
# Both gateways count the same bytes, so both rekey at once (a collision,
# RFC 7296 §2.8.1). Zero loss across rekeys is osprey-rekey-ping's to check;
# here the pings only have to get through.
out=$(nsx hosta ping -n -c 45 -s 1000 -i 0.05 -W 2 10.2.0.2 2>&1)
tail -2 <<<"$out"
recv=$(sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$out")
[ "${recv:-0}" -ge 43 ] || fail "only ${recv:-0} of 45 pings answered across the soft-expiry rekey"
wait_for 20 "gwa to log the soft expiry" osp_log_has gwa 'soft expiry'
wait_for 20 "the old SAs to go" osp_exactly2
new_a=$(spis gwa)
new_b=$(spis gwb)
log "SPIs now: gwa $new_a, gwb $new_b"
for spi in $old_a; do ! grep -q "$spi" <<<"$new_a" || fail "gwa kept SA $spi"; done
for spi in $old_b; do ! grep -q "$spi" <<<"$new_b" || fail "gwb kept SA $spi"; done
ping_ok hosta 10.2.0.2 3

log "phase 2: gwb frozen, the hard byte limit deletes"
eval "pid_b=\$OSP_PID_gwb"
kill -STOP "$pid_b"
nsx hosta ping -n -c 80 -s 1000 -i 0.05 -W 1 10.2.0.2 | tail -2
wait_for 30 "gwa to log the hard expiry" osp_log_has gwa 'hard expiry'
wait_for 20 "gwa's SAs to go" osp_no_child_sas gwa
grep -E 'soft expiry|hard expiry' "$W/gwa/ospreyd.log" | sed 's/^/    gwa: /' | head -6
kill -CONT "$pid_b"

log "stop"
osp_stop gwa
osp_stop gwb
for ns in gwa gwb; do
	osp_nothing_left "$ns" || { osp_dump "$ns"; fail "osprey state left in $ns after the stop"; }
done
log "pass"
