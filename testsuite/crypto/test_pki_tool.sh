#!/bin/sh
# osprey-pki end to end, TAP output.  When openssl(1) is installed it checks
# the results independently (chain, subjectAltNames, CRL signature and entry).
PKI=${top_builddir:-.}/lib/crypto/osprey-pki
T=$(mktemp -d "${TMPDIR:-/tmp}/osprey-pki.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
n=0
ok() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fi; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

echo "1..9"
"$PKI" key --type ecdsa --out "$T/ca.key"; ok $? "ECDSA CA key"
"$PKI" self --key "$T/ca.key" --dn "C=CH, O=osprey, CN=Test CA" --out "$T/ca.crt"; ok $? "self-signed CA"
"$PKI" key --type rsa --size 2048 --out "$T/moon.key"; ok $? "RSA key"
"$PKI" issue --key "$T/moon.key" --cakey "$T/ca.key" --cacert "$T/ca.crt" \
	--dn "C=CH, O=osprey, CN=moon" --san moon.example.org --san 192.0.2.1 \
	--san moon@example.org --out "$T/moon.crt"; ok $? "RSA certificate with subjectAltNames"
"$PKI" crl --cakey "$T/ca.key" --cacert "$T/ca.crt" --revoke "$T/moon.crt@20240501120000" \
	--out "$T/ca.crl"; ok $? "CRL revoking it"
"$PKI" nonsense >/dev/null 2>&1; [ $? = 2 ]; ok $? "unknown command is a usage error"
if command -v openssl >/dev/null 2>&1; then
	openssl verify -CAfile "$T/ca.crt" "$T/moon.crt" >/dev/null 2>&1; ok $? "openssl verifies the chain"
	openssl x509 -in "$T/moon.crt" -noout -text 2>/dev/null |
		grep -q "DNS:moon.example.org, IP Address:192.0.2.1, email:moon@example.org"
	ok $? "openssl reads the subjectAltNames"
	openssl verify -crl_check -CAfile "$T/ca.crt" -CRLfile "$T/ca.crl" "$T/moon.crt" 2>&1 |
		grep -q "certificate revoked"
	ok $? "openssl accepts the CRL and finds the revocation"
else
	skip "openssl verifies the chain" "openssl not installed"
	skip "openssl reads the subjectAltNames" "openssl not installed"
	skip "openssl accepts the CRL" "openssl not installed"
fi
