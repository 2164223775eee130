# The guest kernel's ESP data path on its own, without any IKE daemon:
# manually keyed SAs and policies (`ip xfrm`) between two namespaces.
#   - IPv4 tunnel mode, AES-GCM-128 (rfc4106), 10.1.0.0/24 <-> 10.2.0.0/24
#     between gateways' subnet addresses, and
#   - IPv6 transport mode, AES-CBC + HMAC-SHA-256 (authenc), fd00:1::1 <-> ::2,
#     for ICMPv6 echo only (neighbour discovery stays in the clear).
# When this fails and the IKE scenarios fail too, look at the kernel and its
# modules (results/modules.log, dmesg.log), not at the daemons.
# vm-timeout: 60
. "$(dirname "$0")/../lib.sh"
require ip ping tcpdump

log "topology"
ns_add a b
wire wire a wan 192.0.2.1/24 b wan 192.0.2.2/24
addr a wan fd00:1::1/64
addr b wan fd00:1::2/64
addr a lo 10.1.0.1/32
addr b lo 10.2.0.1/32
route a 10.2.0.0/24 via 192.0.2.2 dev wan src 10.1.0.1
route b 10.1.0.0/24 via 192.0.2.1 dev wan src 10.2.0.1

log "SAs and policies"
# Fixed test keys: these SAs live only inside this VM's namespaces.
GCM_AB=0x0102030405060708090a0b0c0d0e0f1011121314
GCM_BA=0x2122232425262728292a2b2c2d2e2f3031323334
ENC_AB=0x404142434445464748494a4b4c4d4e4f AUTH_AB=0x505152535455565758595a5b5c5d5e5f505152535455565758595a5b5c5d5e5f
ENC_BA=0x606162636465666768696a6b6c6d6e6f AUTH_BA=0x707172737475767778797a7b7c7d7e7f707172737475767778797a7b7c7d7e7f
for ns in a b; do
	ip -n "$ns" -batch - <<-EOF || fail "ip xfrm in $ns"
		xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1001 reqid 1 mode tunnel aead 'rfc4106(gcm(aes))' $GCM_AB 128
		xfrm state add src 192.0.2.2 dst 192.0.2.1 proto esp spi 0x2001 reqid 1 mode tunnel aead 'rfc4106(gcm(aes))' $GCM_BA 128
		xfrm state add src fd00:1::1 dst fd00:1::2 proto esp spi 0x1002 reqid 2 mode transport enc 'cbc(aes)' $ENC_AB auth-trunc 'hmac(sha256)' $AUTH_AB 128
		xfrm state add src fd00:1::2 dst fd00:1::1 proto esp spi 0x2002 reqid 2 mode transport enc 'cbc(aes)' $ENC_BA auth-trunc 'hmac(sha256)' $AUTH_BA 128
	EOF
done
ip -n a -batch - <<-EOF || fail "ip xfrm policy in a"
	xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/24 dir out tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode tunnel
	xfrm policy add src 10.2.0.0/24 dst 10.1.0.0/24 dir in tmpl src 192.0.2.2 dst 192.0.2.1 proto esp reqid 1 mode tunnel
	xfrm policy add src fd00:1::1 dst fd00:1::2 proto ipv6-icmp type 128 dir out tmpl proto esp reqid 2 mode transport
	xfrm policy add src fd00:1::2 dst fd00:1::1 proto ipv6-icmp type 129 dir in tmpl proto esp reqid 2 mode transport
EOF
ip -n b -batch - <<-EOF || fail "ip xfrm policy in b"
	xfrm policy add src 10.2.0.0/24 dst 10.1.0.0/24 dir out tmpl src 192.0.2.2 dst 192.0.2.1 proto esp reqid 1 mode tunnel
	xfrm policy add src 10.1.0.0/24 dst 10.2.0.0/24 dir in tmpl src 192.0.2.1 dst 192.0.2.2 proto esp reqid 1 mode tunnel
	xfrm policy add src fd00:1::2 dst fd00:1::1 proto ipv6-icmp type 129 dir out tmpl proto esp reqid 2 mode transport
	xfrm policy add src fd00:1::1 dst fd00:1::2 proto ipv6-icmp type 128 dir in tmpl proto esp reqid 2 mode transport
EOF

capture_start wire br0 wan
before_a=$(xfrm_total a)
before_b=$(xfrm_total b)

log "traffic"
ping_ok a 10.2.0.1 3 -I 10.1.0.1
ping_ok a fd00:1::2 3
capture_stop wan

log "checks"
# ICMPv6 neighbour discovery is outside the policies; echo must not be.
assert_esp_no_plain wan 12 'icmp or net 10.1.0.0/24 or net 10.2.0.0/24 or (icmp6 and (ip6[40] == 128 or ip6[40] == 129))'
assert_xfrm_rise a "$before_a" 12
assert_xfrm_rise b "$before_b" 12
log "pass"
