# A route-based VPN: the CHILD SAs carry if_id 42 (if_id_in / if_id_out),
# each gateway has an XFRM interface ipsec0 with that id and routes the
# remote subnet into it. Only traffic routed into ipsec0 uses the SAs.
#
#   hosta 10.1.0.2 --- gwa 192.0.2.1 ==wire== 192.0.2.2 gwb --- 10.2.0.2 hostb
#                     ipsec0 (if_id 42)      ipsec0 (if_id 42)
#
# Passes when: the SAs and policies carry if_id 42 in both kernels; pings
# cross both ways as ESP (no cleartext), counted on ipsec0 and on the SAs;
# `ospreyctl list-sas` shows the kernel's byte and packet counters (equal
# to `ip -s xfrm state`'s) and an idle time; kernel-xfrm added no table-220
# route (it would bypass ipsec0); the stop leaves nothing of osprey.
# vm-timeout: 150
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-osprey.sh"

log "topology"
ns_add gwa gwb
wire wire gwa wan 192.0.2.1/24 gwb wan 192.0.2.2/24
subnet_host gwa lan 10.1.0.1/24 hosta eth0 10.1.0.2/24
subnet_host gwb lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
forwarding gwa gwb
for ns in gwa gwb; do
	nsx $ns ip link add ipsec0 type xfrm dev wan if_id 42 || fail "no xfrm interface in $ns"
	nsx $ns ip link set ipsec0 up
done
route gwa 10.2.0.0/24 dev ipsec0
route gwb 10.1.0.0/24 dev ipsec0

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
		      esp_proposals = "aes256gcm16"; if_id_in = 42; if_id_out = 42; }; };
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
wait_for 30 "SAs and policies in both kernels" osp_sas_up gwa gwb
for ns in gwa gwb; do
	st=$(nsx $ns ip xfrm state)
	po=$(nsx $ns ip xfrm policy)
	[ "$(grep -c 'if_id 0x2a' <<<"$st")" -ge 2 ] || { echo "$st"; fail "$ns: SAs without if_id 42"; }
	[ "$(grep -c 'if_id 0x2a' <<<"$po")" -ge 2 ] || { echo "$po"; fail "$ns: policies without if_id 42"; }
	! nsx $ns ip route show table 220 | grep -c 'proto 111' >/dev/null ||
		fail "$ns: kernel-xfrm routed the subnet around ipsec0 (table 220)"
done
nsx gwa ip xfrm state | grep -E '^src|if_id|aead' | sed 's/^/    /'

capture_start wire br0 wan
log "traffic"
before_a=$(xfrm_total gwa)
before_b=$(xfrm_total gwb)
ping_ok hosta 10.2.0.2 5
ping_ok hostb 10.1.0.2 5
capture_stop wan
assert_esp_no_plain wan 20 'icmp and (net 10.1.0.0/24 or net 10.2.0.0/24)'
assert_xfrm_rise gwa "$before_a" 10
assert_xfrm_rise gwb "$before_b" 10
tx=$(nsx gwa cat /sys/class/net/ipsec0/statistics/tx_packets)
[ "$tx" -ge 10 ] || fail "gwa's ipsec0 sent $tx packets, expected >= 10"

log "list-sas counters"
octl gwa list-sas | sed 's/^/    /'
json=$(octl gwa --json list-sas)
kin=$(xfrm_counters gwa | awk '$2 == "192.0.2.1" { print $5 }')
kout=$(xfrm_counters gwa | awk '$2 == "192.0.2.2" { print $5 }')
pin=$(grep -o '"packets_in": *[0-9]*' <<<"$json" | grep -o '[0-9]*$')
pout=$(grep -o '"packets_out": *[0-9]*' <<<"$json" | grep -o '[0-9]*$')
idle=$(grep -o '"idle": *-\?[0-9]*' <<<"$json" | grep -o -- '-\?[0-9]*$')
log "kernel: in $kin out $kout packets; list-sas: in $pin out $pout, idle $idle s"
[ "$pin" = "$kin" ] && [ "$pout" = "$kout" ] || fail "list-sas counters differ from the kernel's"
[ "$pin" -ge 10 ] && [ "$pout" -ge 10 ] || fail "list-sas shows too few packets"
[ "$idle" -ge 0 ] && [ "$idle" -le 30 ] || fail "list-sas idle time $idle"

log "stop"
osp_stop gwa
osp_stop gwb
for ns in gwa gwb; do
	osp_nothing_left "$ns" || { osp_dump "$ns"; fail "osprey state left in $ns after the stop"; }
done
log "pass"
