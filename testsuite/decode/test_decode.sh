#!/bin/bash
# TAP: `ospreyctl decode` reads the real strongSwan captures shipped in
# testsuite/data/captures with no malformed message, shows what each exchange
# carries, and reports broken input with the payload, field and offset.
set -u
src=${top_srcdir:-.}
bld=${top_builddir:-.}
ctl="$bld/daemon/ospreyctl"
caps="$src/testsuite/data/captures"
py=${PYTHON3:-/usr/bin/python3}
n=0 fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }
check() { # check DESCRIPTION FILE PATTERN: the decode output contains PATTERN
	if grep -qE -- "$3" "$2"; then ok "$1"; else notok "$1" "pattern not found: $3"; fi
}

echo "1..24"
declare -A want=([ikev2-psk]=20 [ikev2-cert-frag]=8 [ikev2-cookie-or-invalid-ke]=10
	[ikev1-main-psk]=17 [ikev1-aggressive-psk]=14)
for c in ikev2-psk ikev2-cert-frag ikev2-cookie-or-invalid-ke ikev1-main-psk ikev1-aggressive-psk; do
	"$ctl" decode "$caps/$c.pcap" >"$tmp/$c.txt" 2>&1
	rc=$?
	line=$(tail -1 "$tmp/$c.txt")
	if [ $rc = 0 ] && [ "$line" = "${want[$c]} frames: ${want[$c]} IKE messages, 0 malformed, 0 NAT-keepalives, 0 ESP-in-UDP, 0 other" ]; then
		ok "$c: ${want[$c]} IKE messages, none malformed"
	else
		notok "$c: decode" "exit $rc" "$line"
	fi
done
check "IKEv2 SA_INIT: proposal, KE group and notifies" "$tmp/ikev2-psk.txt" \
	'^  IKE_SA_INIT request 0 \[ SA KE No N\(NAT_DETECTION_SOURCE_IP\) N\(NAT_DETECTION_DESTINATION_IP\)'
check "IKEv2 transforms named with key length" "$tmp/ikev2-psk.txt" \
	'proposal 1 IKE: ENCR_AES_GCM_16 KEY_LENGTH=128 PRF_HMAC_SHA2_256 GROUP_CURVE25519'
check "IKEv2 port 4500 IKE behind the non-ESP marker" "$tmp/ikev2-psk.txt" \
	'^#3 .*:4500 -> .*:4500'
check "IKEv2 SK payload names its first inner payload" "$tmp/ikev2-psk.txt" \
	'SK: first inner IDi, [0-9]+ encrypted bytes'
check "IKEv2 CREATE_CHILD_SA and INFORMATIONAL seen" "$tmp/ikev2-psk.txt" \
	'INFORMATIONAL response [0-9]+ \[ SK \]'
check "IKEv2 CERTREQ with a SHA-1 CA key hash" "$tmp/ikev2-cert-frag.txt" \
	'CERTREQ: X509_SIG, [0-9a-f]{32}\.\.\. \(20 bytes\)'
check "IKEv2 fragments (RFC 7383)" "$tmp/ikev2-cert-frag.txt" 'IKE_AUTH request 1 \[ SKF\(2/2\) \]'
check "IKEv2 COOKIE" "$tmp/ikev2-cookie-or-invalid-ke.txt" 'IKE_SA_INIT response 0 \[ N\(COOKIE\) \]'
check "IKEv2 INVALID_KE_PAYLOAD with the wanted group" "$tmp/ikev2-cookie-or-invalid-ke.txt" \
	'N: INVALID_KE_PAYLOAD data 001f'
check "IKEv1 main mode SA with phase-1 attributes" "$tmp/ikev1-main-psk.txt" \
	'transform 1 KEY_IKE: ENCRYPTION_ALGORITHM=ENCR_AES_CBC KEY_LENGTH=[0-9]+ HASH_ALGORITHM='
check "IKEv1 encrypted messages" "$tmp/ikev1-main-psk.txt" 'QUICK [0-9]+ \[ encrypted [0-9]+ bytes \]'
check "IKEv1 aggressive mode with ID and NAT-D" "$tmp/ikev1-aggressive-psk.txt" \
	'AGGRESSIVE 0 \[ SA KE NONCE ID VID VID VID VID VID NAT-D NAT-D HASH \]'
check "IKEv1 FQDN identity" "$tmp/ikev1-aggressive-psk.txt" "ID: ID_FQDN 'initiator.example'"

# Hand-made broken and special datagrams.
if [ -x "$py" ] && "$py" "$src/testsuite/decode/mkbad.py" "$tmp/bad.pcap"; then
	"$ctl" decode "$tmp/bad.pcap" >"$tmp/bad.txt" 2>&1
	rc=$?
	if [ $rc = 3 ]; then ok "malformed input: exit status 3"; else notok "malformed input: exit status" "got $rc"; fi
	check "malformed SA names payload, field and offset" "$tmp/bad.txt" \
		"MALFORMED: IKEv2 Security Association payload: field 'proposal length' at offset 34: bad length \(value 300\)"
	check "NAT-keepalive recognised" "$tmp/bad.txt" '^  NAT-keepalive$'
	check "ESP in UDP recognised by its SPI" "$tmp/bad.txt" '^  ESP in UDP, SPI 00001001$'
	check "summary counts every kind" "$tmp/bad.txt" \
		'^5 frames: 0 IKE messages, 2 malformed, 1 NAT-keepalives, 1 ESP-in-UDP, 1 other$'
else
	for i in 1 2 3 4 5; do n=$((n + 1)); echo "ok $n # SKIP python3 not available to write the test capture"; done
fi
"$ctl" decode "$tmp/does-not-exist.pcap" >/dev/null 2>"$tmp/err.txt"
rc=$?
if [ $rc = 1 ] && grep -q "cannot read capture" "$tmp/err.txt"; then ok "missing file: clear error, exit 1"
else notok "missing file" "exit $rc: $(cat "$tmp/err.txt")"; fi
[ $fails = 0 ]
