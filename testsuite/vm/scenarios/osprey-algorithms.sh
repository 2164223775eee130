# Every ESP algorithm kernel-xfrm maps, through a real kernel: two ospreyd,
# one connection per ESP proposal (distinct identities, so the responder
# picks the matching one), brought up, pinged through and terminated in
# turn. Each time the kernel's SA must carry the expected algorithm name,
# ICV / truncation length and key length, and the pings must cross.
#
#   hosta 10.1.0.2 --- gwa 192.0.2.1 ==wire== 192.0.2.2 gwb --- 10.2.0.2 hostb
#
# vm-timeout: 300
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../lib-osprey.sh"

# ESP proposal | what `ip xfrm state` must show (extended regex)
ALGS=(
	"aes128gcm8|aead rfc4106\(gcm\(aes\)\) 0x[0-9a-f]{40} 64"
	"aes192gcm12|aead rfc4106\(gcm\(aes\)\) 0x[0-9a-f]{56} 96"
	"aes256gcm16|aead rfc4106\(gcm\(aes\)\) 0x[0-9a-f]{72} 128"
	"aes128ccm8|aead rfc4309\(ccm\(aes\)\) 0x[0-9a-f]{38} 64"
	"aes192ccm12|aead rfc4309\(ccm\(aes\)\) 0x[0-9a-f]{54} 96"
	"aes256ccm16|aead rfc4309\(ccm\(aes\)\) 0x[0-9a-f]{70} 128"
	"chacha20poly1305|aead rfc7539esp\(chacha20,poly1305\) 0x[0-9a-f]{72} 128"
	"aes128-sha1|auth-trunc hmac\(sha1\) 0x[0-9a-f]{40} 96"
	"aes256-sha384|auth-trunc hmac\(sha384\) 0x[0-9a-f]{96} 192"
	"aes192-sha512|auth-trunc hmac\(sha512\) 0x[0-9a-f]{128} 256"
	"aes128ctr-sha256|enc rfc3686\(ctr\(aes\)\) 0x[0-9a-f]{40}"
	"3des-sha1|enc cbc\(des3_ede\) 0x[0-9a-f]{48}"
	"aes128-aesxcbc|auth-trunc xcbc\(aes\) 0x[0-9a-f]{32} 96"
	"aes256-aescmac|auth-trunc cmac\(aes\) 0x[0-9a-f]{32} 96"
)

log "topology"
ns_add gwa gwb
wire wire gwa wan 192.0.2.1/24 gwb wan 192.0.2.2/24
subnet_host gwa lan 10.1.0.1/24 hosta eth0 10.1.0.2/24
subnet_host gwb lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
forwarding gwa gwb

conf() { # conf NS PEER MY_ADDR PEER_ADDR MY_NET PEER_NET
	local i esp
	mkdir -p "$W/$1"
	{
		echo 'kernel = { backend = "xfrm"; };'
		echo 'logging = { default = "info"; };'
		echo 'connections = {'
		for i in "${!ALGS[@]}"; do
			esp=${ALGS[$i]%%|*}
			cat <<-EOF
			  c$i = {
			    local_addrs = "$3"; remote_addrs = "$4";
			    proposals = "aes128gcm16-prfsha256-x25519";
			    local = { auth = "psk"; id = "$1-$i.osprey.test"; };
			    remote = { auth = "psk"; id = "$2-$i.osprey.test"; };
			    children = { net = { local_ts = "$5"; remote_ts = "$6";
			      esp_proposals = "$esp"; }; };
			  };
			EOF
		done
		echo '};'
		echo 'secrets = { ike-all = { secret = "osprey-vm-test-bed-pre-shared-key"; }; };'
	} >"$W/$1/osprey.conf"
}
conf gwa gwb 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24
conf gwb gwa 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24
osp_start gwa
osp_start gwb
capture_start wire br0 wan

for i in "${!ALGS[@]}"; do
	esp=${ALGS[$i]%%|*}
	want=${ALGS[$i]#*|}
	octl gwa initiate "c$i" >/dev/null || { osp_dump gwa; fail "$esp: ospreyctl initiate"; }
	(wait_for 30 "$esp: SAs in both kernels" osp_sas_up gwa gwb) ||
		{ osp_dump gwa gwb; fail "$esp: no CHILD SA"; }
	for ns in gwa gwb; do
		st=$(nsx $ns ip xfrm state)
		[ "$(grep -cE "$want" <<<"$st")" = 2 ] ||
			{ grep -E '^src|aead|enc|auth' <<<"$st"; fail "$esp: $ns's SAs do not show '$want'"; }
	done
	ping_ok hosta 10.2.0.2 2 >/dev/null
	log "$esp: $(nsx gwa ip xfrm state | grep -oE "$want" | head -1 | sed 's/0x[0-9a-f]*/KEY/')"
	octl gwa terminate "c$i" >/dev/null || fail "$esp: ospreyctl terminate"
	(wait_for 20 "$esp: SAs to go" osp_no_child_sas gwa gwb) || { osp_dump gwa gwb; fail "$esp: SAs left"; }
done
capture_stop wan
assert_esp_no_plain wan $((${#ALGS[@]} * 4)) 'icmp and (net 10.1.0.0/24 or net 10.2.0.0/24)'

log "stop"
osp_stop gwa
osp_stop gwb
for ns in gwa gwb; do
	osp_nothing_left "$ns" || { osp_dump "$ns"; fail "osprey state left in $ns after the stop"; }
done
log "pass ${#ALGS[@]} algorithms"
