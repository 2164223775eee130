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
require ip ping tcpdump ss "$OSPREYD" "$OSPREYCTL"

log "topology"
osprey_gateways

osprey_psk_conf gwa 'ah_proposals = "sha256";'
osprey_psk_conf gwb 'ah_proposals = "sha256";'
ospreyd_start gwa
ospreyd_start gwb

log "tunnel"
octl_ns gwa initiate net || { osprey_dump gwa; fail "ospreyctl initiate"; }
wait_for 30 "SAs in both kernels" osprey_sas_up gwa gwb
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
ospreyd_stop gwa gwb
log "pass"
