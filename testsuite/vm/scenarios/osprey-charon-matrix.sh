# ospreyd (kernel-xfrm) against strongSwan's charon (kernel-netlink) on a
# real ESP data path, each case in both directions (ospreyd initiates and
# deletes, then charon initiates and deletes); gwa runs ospreyd, gwb charon,
# one connection per case (its own address pair), loaded once:
#
#   cert       X.509 certificates (ECDSA P-256, a CA and one certificate per
#              gateway, made at run time with osprey-pki), net-to-net, ESP
#              aes128gcm16
#   transport  host to host in transport mode (the gateways' own addresses),
#              ESP aes128gcm16
#   ipv6       IPv6 gateways and subnets, tunnel, ESP aes256gcm16
#   cbc        net-to-net, ESP aes256-sha256 (cbc(aes) + hmac(sha256))
#   chacha     net-to-net, ESP chacha20poly1305
#   nat        gwa behind an nftables masquerade (with 500/4500 forwarded to
#              it for charon's initiation): ESP in UDP 4500 on both sides
#
# (AES-GCM with PSK over IPv4 is osprey-charon-tunnel.)  Each direction of
# each case passes when the SAs reach both kernels with the case's
# algorithm, mode and encapsulation, the pings are answered both ways, the
# `ip -s xfrm state` counters rise on every SA of both gateways, and the
# delete leaves no osprey SA or policy in gwa's kernel and no SA in gwb's.
# Captures on both links (bridges in "wire" and "wire2") show each case's
# ESP and no cleartext from the subnets or ICMP at all.  Every case and
# direction is logged as CASE-PASS or CASE-FAIL; the scenario fails when
# any did.  ospreyd exits 0 and leaves nothing.
#
#   hosta -- gwa 192.0.2.1x, 2001:db8:f::1 ==wire== gwb 192.0.2.2x, 2001:db8:f::2 -- hostb
#            gwa 192.168.1.2 -- nat 198.51.100.1 ==wire2== 198.51.100.2 gwb
#   (hosta 10.1.0.2, 2001:db8:1::2; hostb 10.2.0.2, 2001:db8:2::2)
# vm-timeout: 330
. "$(dirname "$0")/../lib.sh"
require ip ping tcpdump ss nft swanctl "$CHARON" "$OSPREYD" "$OSPREYCTL" "$OSPREY_PKI"
CASES=${CASES:-"cert transport ipv6 cbc chacha nat"}
PSK=osprey-vm-test-bed-pre-shared-key

log "certificates"
pki_ca "$W/pki"
pki_cert "$W/pki" gwa.osprey.test
pki_cert "$W/pki" gwb.osprey.test

log "topology"
ns_add gwa gwb nat
wire wire gwa wan 192.0.2.1/24 gwb wan 192.0.2.2/24
subnet_host gwa lan 10.1.0.1/24 hosta eth0 10.1.0.2/24
subnet_host gwb lan 10.2.0.1/24 hostb eth0 10.2.0.2/24
link gwa nwan 192.168.1.2/24 nat lan 192.168.1.1/24
wire wire2 nat wan 198.51.100.1/24 gwb nwan 198.51.100.2/24
ip -n gwa -batch - <<EOB || fail "gwa's addresses"
addr add 192.0.2.11/24 dev wan
addr add 192.0.2.12/24 dev wan
addr add 192.0.2.14/24 dev wan
addr add 192.0.2.15/24 dev wan
addr add 2001:db8:f::1/64 dev wan nodad
addr add 2001:db8:1::1/64 dev lan nodad
route add 198.51.100.0/24 via 192.168.1.1
EOB
ip -n gwb -batch - <<EOB || fail "gwb's addresses"
addr add 192.0.2.21/24 dev wan
addr add 192.0.2.22/24 dev wan
addr add 192.0.2.24/24 dev wan
addr add 192.0.2.25/24 dev wan
addr add 2001:db8:f::2/64 dev wan nodad
addr add 2001:db8:2::1/64 dev lan nodad
EOB
addr hosta eth0 2001:db8:1::2/64
addr hostb eth0 2001:db8:2::2/64
route hosta default via 2001:db8:1::1
route hostb default via 2001:db8:2::1
forwarding gwa gwb nat
nsx nat nft -f - <<'EON' || skip "nftables NAT is not available in this kernel"
table ip nat {
  chain pre { type nat hook prerouting priority -100;
    iifname "wan" udp dport { 500, 4500 } dnat to 192.168.1.2; }
  chain post { type nat hook postrouting priority 100; oifname "wan" masquerade; }
}
EON

# case -> gwa's address, gwb's address (as each sees the other: gwb sees the
# NAT), gwa's traffic selector, gwb's, ESP proposal, what gwa's kernel must
# show, the pings (NS DST [ping options]) each way.
spec() { # spec CASE: sets A B TA TB ESP KALG MODE PING1 PING2 (A_PEER: the address gwb uses)
	A_PEER=""
	MODE=tunnel
	TA=10.1.0.0/24 TB=10.2.0.0/24 KALG='aead rfc4106(gcm(aes))' ESP=aes128gcm16
	PING1="hosta 10.2.0.2" PING2="hostb 10.1.0.2"
	case $1 in
	cert) A=192.0.2.11 B=192.0.2.21 ;;
	transport) A=192.0.2.12 B=192.0.2.22 TA=192.0.2.12/32 TB=192.0.2.22/32 MODE=transport
		PING1="gwa 192.0.2.22 3 -I 192.0.2.12" PING2="gwb 192.0.2.12 3 -I 192.0.2.22" ;;
	ipv6) A=2001:db8:f::1 B=2001:db8:f::2 TA=2001:db8:1::/64 TB=2001:db8:2::/64 ESP=aes256gcm16
		PING1="hosta 2001:db8:2::2" PING2="hostb 2001:db8:1::2" ;;
	cbc) A=192.0.2.14 B=192.0.2.24 ESP=aes256-sha256 KALG='auth-trunc hmac(sha256)' ;;
	chacha) A=192.0.2.15 B=192.0.2.25 ESP=chacha20poly1305 KALG='aead rfc7539esp(chacha20,poly1305)' ;;
	nat) A=192.168.1.2 A_PEER=198.51.100.1 B=198.51.100.2 ;;
	*) fail "unknown case $1" ;;
	esac
	A_PEER=${A_PEER:-$A}
}

# ---- ospreyd's configuration: one connection per case
{
	echo 'kernel = { backend = "xfrm"; };'
	echo 'logging = { default = "info"; kernel = "debug"; };'
	echo 'connections = {'
	for c in $CASES; do
		spec $c
		if [ $c = cert ]; then
			auth="local = { auth = \"pubkey\"; id = \"gwa.osprey.test\"; certs = [ \"$W/pki/gwa.osprey.test.crt\" ]; };
    remote = { auth = \"pubkey\"; id = \"gwb.osprey.test\"; cacerts = [ \"$W/pki/ca.crt\" ]; };"
		else
			auth='local = { auth = "psk"; id = "gwa.osprey.test"; };
    remote = { auth = "psk"; id = "gwb.osprey.test"; };'
		fi
		cat <<-EOC
		  $c = {
		    local_addrs = "$A"; remote_addrs = "$B";
		    proposals = "aes128gcm16-prfsha256-x25519";
		    $auth
		    children = { $c = { mode = "$MODE"; local_ts = "$TA"; remote_ts = "$TB";
		      esp_proposals = "$ESP"; }; };
		  };
		EOC
	done
	echo '};'
	echo "secrets = { ike-gw = { id = [ \"gwa.osprey.test\", \"gwb.osprey.test\" ]; secret = \"$PSK\"; };"
	echo "  private-gwa = { file = \"$W/pki/gwa.osprey.test.key\"; }; };"
} >"$W/osprey.conf"
mkdir -p "$W/gwa"
mv "$W/osprey.conf" "$W/gwa/osprey.conf"

# ---- charon's
charon_conf gwb
{
	echo 'connections {'
	for c in $CASES; do
		spec $c
		if [ $c = cert ]; then
			auth="local { auth = pubkey
      certs = $W/pki/gwb.osprey.test.crt
      id = gwb.osprey.test }
    remote { auth = pubkey
      cacerts = $W/pki/ca.crt
      id = gwa.osprey.test }"
		else
			auth='local { auth = psk
      id = gwb.osprey.test }
    remote { auth = psk
      id = gwa.osprey.test }'
		fi
		cat <<-EOC
		  $c {
		    version = 2
		    local_addrs = $B
		    remote_addrs = $A_PEER
		    proposals = aes128gcm16-prfsha256-x25519
		    mobike = no
		    $auth
		    children {
		      $c {
		        mode = $MODE
		        local_ts = $TB
		        remote_ts = $TA
		        esp_proposals = $ESP
		        start_action = none
		      }
		    }
		  }
		EOC
	done
	echo '}'
	cat <<-EOC
	secrets {
	  ike-peers {
	    id-a = gwa.osprey.test
	    id-b = gwb.osprey.test
	    secret = "$PSK"
	  }
	}
	EOC
} >"$(charon_dir gwb)/swanctl.conf"
# swanctl loads private keys from the folders next to its swanctl.conf.
mkdir -p "$(charon_dir gwb)/ecdsa"
cp "$W/pki/gwb.osprey.test.key" "$(charon_dir gwb)/ecdsa/"

log "daemons"
ospreyd_start gwa
charon_start gwb
swan_load gwb
wait_udp gwb 500
capture_start wire br0 wan
capture_start wire2 br0 natwan

gwb_sas() { nsx gwb ip xfrm state | grep -c '^src'; }
up() { # up MIN_POLICIES
	[ "$(osprey_xfrm gwa state)" -ge 2 ] && [ "$(osprey_xfrm gwa policy)" -ge "$1" ] &&
		[ "$(gwb_sas)" -ge 2 ]
}
down() { osprey_nothing_left gwa && [ "$(gwb_sas)" = 0 ]; }
show() {
	tail -20 "$W/gwa/ospreyd.log"
	tail -20 "$(charon_dir gwb)/charon.log"
	nsx gwa ip xfrm state
	nsx gwb ip xfrm state
}

run_dir() { # run_dir CASE WHO(ospreyd|charon): one direction of a case (in a subshell)
	local c=$1 who=$2 pols=3 ns states ba bb
	spec "$c"
	[ $MODE = transport ] && pols=2
	if [ $who = ospreyd ]; then
		octl_ns gwa initiate "$c" >/dev/null || { show; fail "ospreyctl initiate $c"; }
	else
		swan gwb --initiate --child "$c" --timeout 60 >"$W/initiate-$c.log" 2>&1 ||
			{ tail -20 "$W/initiate-$c.log"; show; fail "swanctl --initiate $c"; }
	fi
	(wait_for 40 "SAs in both kernels" up $pols) || { show; fail "no CHILD SA"; }
	for ns in gwa gwb; do
		states=$(nsx $ns ip xfrm state)
		grep -E '^src|proto|aead|enc |auth|encap' <<<"$states" | sed "s/^/    $ns: /"
		grep -qF "$KALG" <<<"$states" || fail "no '$KALG' SA in $ns"
		grep -q "mode $MODE" <<<"$states" || fail "$ns: SAs not in $MODE mode"
		if [ $c = nat ]; then
			[ "$(grep -c 'encap type espinudp sport 4500 dport 4500' <<<"$states")" -ge 2 ] ||
				fail "$ns: SAs without ESPINUDP on port 4500"
		else
			! grep -q 'encap type' <<<"$states" || fail "$ns: UDP-encapsulated SAs without a NAT"
		fi
	done
	if [ $c = cert ]; then
		grep -q "peer's AUTH verified (AUTH method .*CN=gwb.osprey.test" "$W/gwa/ospreyd.log" ||
			fail "ospreyd did not verify charon's certificate AUTH"
		grep -q "authentication of 'gwa.osprey.test' with .* successful" \
			"$(charon_dir gwb)/charon.log" || fail "charon did not verify ospreyd's certificate AUTH"
	fi
	ba=$(xfrm_total gwa)
	bb=$(xfrm_total gwb)
	ping_ok $PING1
	ping_ok $PING2
	assert_xfrm_rise gwa "$ba" 12
	assert_xfrm_rise gwb "$bb" 12
	if [ $who = ospreyd ]; then
		octl_ns gwa terminate "$c" >/dev/null || fail "ospreyctl terminate $c"
	else
		swan gwb --terminate --ike "$c" --timeout 30 >"$W/terminate-$c.log" 2>&1 ||
			{ tail -20 "$W/terminate-$c.log"; fail "swanctl --terminate $c"; }
	fi
	(wait_for 20 "the SAs to go" down) || { show; fail "SAs left after the delete"; }
}

FAILED=()
for c in $CASES; do
	for who in ospreyd charon; do
		log "== case $c, $who initiates"
		if (run_dir $c $who); then
			echo "CASE-PASS $c ($who initiates)"
		else
			echo "CASE-FAIL $c ($who initiates)"
			FAILED+=("$c/$who")
			# leave nothing for the next case
			octl_ns gwa terminate "$c" >/dev/null 2>&1
			swan gwb --terminate --ike "$c" --timeout 10 >/dev/null 2>&1
			(wait_for 10 "the SAs to go" down) || {
				nsx gwa ip xfrm state flush; nsx gwb ip xfrm state flush; }
		fi
	done
done
capture_stop wan
capture_stop natwan

log "captures"
# Each case's ESP, both directions (12 packets each at least).
for c in $CASES; do
	spec $c
	if [ $c = nat ]; then
		n=$(capture_count natwan 'udp port 4500 and udp[8:4] != 0')
	else
		n=$(capture_count wan "esp and host $A and host $B")
	fi
	echo "    $c: $n ESP packets"
	[ "$n" -ge 24 ] || { echo "CASE-FAIL $c: $n ESP packets on the link, expected 24"; FAILED+=("$c/capture"); }
done
(assert_esp_no_plain wan 24 'icmp or (icmp6 and (ip6[40] == 128 or ip6[40] == 129)) or net 10.1.0.0/24 or net 10.2.0.0/24 or net 2001:db8:1::/64 or net 2001:db8:2::/64') ||
	FAILED+=("cleartext/wire")
(assert_esp_no_plain natwan 0 'icmp or esp or net 10.1.0.0/24 or net 10.2.0.0/24') ||
	FAILED+=("cleartext/wire2")

log "stop"
ospreyd_stop gwa
! grep -E 'kernel +error' "$W/gwa/ospreyd.log" || fail "kernel errors in ospreyd's log"
[ ${#FAILED[@]} = 0 ] || fail "failed: ${FAILED[*]}"
log "pass"
