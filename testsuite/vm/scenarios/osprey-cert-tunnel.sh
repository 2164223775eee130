# Two ospreyd (kernel-xfrm) gateways authenticated with X.509 certificates:
# a CA and one ECDSA P-256 certificate per gateway (SAN = the gateway's
# identity) made at run time with osprey-pki; gwa trusts the CA through
# remote.cacerts, gwb through an authorities entry.  Net-to-net tunnel,
# ESP aes128gcm16.  Passes when both ends log the peer's certificate
# AUTH as verified, the hosts behind the gateways ping each other, a
# capture on the link shows ESP and no cleartext from the subnets, the
# `ip -s xfrm state` counters rise on every SA of both gateways, and
# terminate + SIGTERM leave no osprey SA or policy in either kernel.
#
#   hosta 10.1.0.2 --- 10.1.0.1 gwa 192.0.2.1 ==wire== 192.0.2.2 gwb 10.2.0.1 --- 10.2.0.2 hostb
# vm-timeout: 150
. "$(dirname "$0")/../lib.sh"
require ip ping tcpdump ss "$OSPREYD" "$OSPREYCTL" "$OSPREY_PKI"

log "certificates"
pki_ca "$W/pki"
pki_cert "$W/pki" gwa.osprey.test
pki_cert "$W/pki" gwb.osprey.test

log "topology"
ns_add gwa gwb
wire wire gwa wan 192.0.2.1/24 gwb wan 192.0.2.2/24
subnet_host gwa lan 10.1.0.1/24 hosta eth0 10.1.0.2/24
subnet_host gwb lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
forwarding gwa gwb

conf() { # conf NS PEER MY PEERADDR MYNET PEERNET TRUST(cacerts|authorities)
	local cacerts="" authorities=""
	mkdir -p "$W/$1"
	if [ "$7" = cacerts ]; then
		cacerts="cacerts = [ \"$W/pki/ca.crt\" ];"
	else
		authorities="authorities = { vmca = { cacert = \"$W/pki/ca.crt\"; }; };"
	fi
	cat >"$W/$1/osprey.conf" <<-EOC
		kernel = { backend = "xfrm"; };
		logging = { default = "info"; kernel = "debug"; };
		connections = {
		  net = {
		    local_addrs = "$3"; remote_addrs = "$4";
		    proposals = "aes128gcm16-prfsha256-x25519";
		    local = { auth = "pubkey"; id = "$1.osprey.test";
		      certs = [ "$W/pki/$1.osprey.test.crt" ]; };
		    remote = { auth = "pubkey"; id = "$2.osprey.test"; $cacerts };
		    children = { net = { local_ts = "$5"; remote_ts = "$6";
		      esp_proposals = "aes128gcm16"; }; };
		  };
		};
		secrets = { private-$1 = { file = "$W/pki/$1.osprey.test.key"; }; };
		$authorities
	EOC
}
up() { local ns; for ns in gwa gwb; do [ "$(osprey_xfrm $ns state)" -ge 2 ] &&
	[ "$(osprey_xfrm $ns policy)" -ge 3 ] || return 1; done; }
show() { tail -30 "$W/gwa/ospreyd.log"; tail -30 "$W/gwb/ospreyd.log"; nsx gwa ip xfrm state; }

log "ospreyd"
conf gwa gwb 192.0.2.1 192.0.2.2 10.1.0.0/24 10.2.0.0/24 cacerts
conf gwb gwa 192.0.2.2 192.0.2.1 10.2.0.0/24 10.1.0.0/24 authorities
ospreyd_start gwa gwb
capture_start wire br0 wan

log "initiate"
octl_ns gwa initiate net || { show; fail "ospreyctl initiate"; }
(wait_for 40 "SAs in both kernels" up) || { show; fail "no CHILD SA"; }
for ns in gwa gwb; do
	grep -h -E "AUTH (signed|verified)|peer's AUTH|certificate" "$W/$ns/ospreyd.log" |
		sed "s/^/    $ns: /" | head -4
	grep -q "peer's AUTH verified" "$W/$ns/ospreyd.log" ||
		{ show; fail "$ns did not verify the peer's certificate AUTH"; }
done
grep -E '^src|proto|aead' <<<"$(nsx gwa ip xfrm state)" | sed 's/^/    gwa: /'
before_a=$(xfrm_total gwa)
before_b=$(xfrm_total gwb)

log "traffic"
ping_ok hosta 10.2.0.2 3
ping_ok hostb 10.1.0.2 3
capture_stop wan
assert_esp_no_plain wan 12 'icmp or net 10.1.0.0/24 or net 10.2.0.0/24'
assert_xfrm_rise gwa "$before_a" 12
assert_xfrm_rise gwb "$before_b" 12

log "terminate and stop"
octl_ns gwa terminate net || fail "ospreyctl terminate"
wait_for 20 "gwa's osprey state to go" osprey_nothing_left gwa
wait_for 20 "gwb's osprey state to go" osprey_nothing_left gwb
ospreyd_stop gwa gwb
! grep -E 'kernel +error' "$W/gwa/ospreyd.log" "$W/gwb/ospreyd.log" || fail "kernel errors logged"
log "pass"
