# Proof that the VM gives a real kernel ESP data path: two strongSwan charon
# gateways (kernel-netlink, so the guest kernel does ESP), IKEv2 with a PSK,
# a net-to-net tunnel aes128gcm16-prfsha256-x25519 / ESP aes128gcm16, hosts
# on a subnet behind each gateway ping each other.
#
#   hosta 10.1.0.2 --- 10.1.0.1 gwa 192.0.2.1 ==wire== 192.0.2.2 gwb 10.2.0.1 --- 10.2.0.2 hostb
#
# Passes when the pings are answered, a capture on the gateways' link (a
# bridge in namespace "wire" between them) shows
# ESP and no cleartext ICMP, and `ip -s xfrm state` counters rise on both
# gateways.
# vm-timeout: 150
. "$(dirname "$0")/../lib.sh"
require ip ping tcpdump ss swanctl "$CHARON"

log "topology"
ns_add gwa gwb
wire wire gwa wan 192.0.2.1/24 gwb wan 192.0.2.2/24
subnet_host gwa lan 10.1.0.1/24 hosta eth0 10.1.0.2/24
subnet_host gwb lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
forwarding gwa gwb

PSK='"osprey-vm-test-bed-pre-shared-key"'
swanctl_conf() { # swanctl_conf ME PEER MY_ADDR PEER_ADDR MY_NET PEER_NET
	cat >"$(charon_dir "$1")/swanctl.conf" <<-EOF
		connections {
		  net-net {
		    version = 2
		    local_addrs = $3
		    remote_addrs = $4
		    proposals = aes128gcm16-prfsha256-x25519
		    encap = no
		    mobike = no
		    local {
		      auth = psk
		      id = $1.osprey.test
		    }
		    remote {
		      auth = psk
		      id = $2.osprey.test
		    }
		    children {
		      net-net {
		        mode = tunnel
		        local_ts = $5
		        remote_ts = $6
		        esp_proposals = aes128gcm16
		        start_action = none
		      }
		    }
		  }
		}
		secrets {
		  ike-peers {
		    id-a = gwa.osprey.test
		    id-b = gwb.osprey.test
		    secret = $PSK
		  }
		}
	EOF
}

log "charon"
charon_conf gwa
charon_conf gwb
swanctl_conf gwa gwb 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24
swanctl_conf gwb gwa 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24
charon_start gwa gwb
swan_load gwa
swan_load gwb
wait_udp gwa 500
wait_udp gwb 500

capture_start wire br0 wan

log "initiate"
swan gwa --initiate --child net-net --timeout 60 >"$W/initiate.log" 2>&1 || {
	tail -20 "$W/initiate.log"
	tail -30 "$(charon_dir gwa)/charon.log"
	fail "swanctl --initiate failed"
}
swan gwa --list-sas
# The SAs are the kernel's own, with AES-GCM, and no UDP encapsulation.
states=$(nsx gwa ip xfrm state)
grep -E '^src|proto|aead|encap' <<<"$states" | sed 's/^/    /'
grep -qF 'aead rfc4106(gcm(aes))' <<<"$states" || fail "no rfc4106(gcm(aes)) SA in gwa's kernel"
! grep -qF 'encap type' <<<"$states" || fail "gwa's SAs are UDP-encapsulated"
before_a=$(xfrm_total gwa)
before_b=$(xfrm_total gwb)

log "traffic"
ping_ok hosta 10.2.0.2 3
ping_ok hostb 10.1.0.2 3
capture_stop wan

log "checks"
capture_show wan 8
# 3 echo requests and 3 replies each way; nothing from the subnets in clear
assert_esp_no_plain wan 12 'icmp or net 10.1.0.0/24 or net 10.2.0.0/24'
assert_xfrm_rise gwa "$before_a" 12
assert_xfrm_rise gwb "$before_b" 12
log "pass"
