# AH (RFC 4302) instead of ESP: a net-to-net tunnel whose child has
# ah_proposals = "sha256" (HMAC-SHA-256-128), between two ospreyd.
#
#   hosta 10.1.0.2 --- gwa 192.0.2.1 ==wire== 192.0.2.2 gwb --- 10.2.0.2 hostb
#
# Passes when: both kernels have "proto ah" SAs with hmac(sha256) truncated
# to 128 bits and policies with AH templates; pings cross both ways inside AH
# (IP protocol 51 on the wire, never a bare ICMP packet); counters rise;
# the stop leaves nothing of osprey.
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
		    local = { auth = "psk"; id = "$1.osprey.test"; };
		    remote = { auth = "psk"; id = "$2.osprey.test"; };
		    children = { net = { local_ts = "$5"; remote_ts = "$6";
		      ah_proposals = "sha256"; }; };
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
for ns in gwa gwb; do
	st=$(nsx $ns ip xfrm state)
	[ "$(grep -c 'proto ah' <<<"$st")" = 2 ] || { echo "$st"; fail "$ns: not two AH SAs"; }
	grep -q 'auth-trunc hmac(sha256) 0x[0-9a-f]* 128' <<<"$st" ||
		{ echo "$st"; fail "$ns: no hmac(sha256)/128"; }
	! grep -q 'proto esp' <<<"$st" || fail "$ns: an ESP SA"
	grep -q 'proto ah' <<<"$(nsx $ns ip xfrm policy)" || fail "$ns: no AH policy template"
done
nsx gwa ip xfrm state | grep -E '^src|proto|auth' | sed 's/^/    /'

capture_start wire br0 wan
log "traffic"
before_a=$(xfrm_total gwa)
before_b=$(xfrm_total gwb)
ping_ok hosta 10.2.0.2 5
ping_ok hostb 10.1.0.2 5
capture_stop wan
capture_show wan 4
ah=$(capture_count wan 'ip proto 51')
plain=$(capture_count wan 'icmp')
log "capture: $ah AH packets, $plain bare ICMP packets"
[ "$ah" -ge 20 ] || fail "only $ah AH packets on the wire"
[ "$plain" = 0 ] || fail "ICMP outside AH on the wire"
assert_xfrm_rise gwa "$before_a" 10
assert_xfrm_rise gwb "$before_b" 10

log "stop"
osp_stop gwa
osp_stop gwb
for ns in gwa gwb; do
	osp_nothing_left "$ns" || { osp_dump "$ns"; fail "osprey state left in $ns after the stop"; }
done
log "pass"
