#!/bin/sh
# Regenerates the key-format fixtures for test_auth (OpenSSL is used only to
# produce the formats; osprey parses them with mbedTLS).  Passphrase: "osprey".
set -e
cd "$(dirname "$0")"
openssl genrsa -traditional -out rsa2048-pkcs1.pem 2048 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in rsa2048-pkcs1.pem -out rsa2048-pkcs8.pem
openssl pkcs8 -topk8 -nocrypt -in rsa2048-pkcs1.pem -outform DER -out rsa2048-pkcs8.der
openssl rsa -in rsa2048-pkcs1.pem -traditional -aes256 -passout pass:osprey -out rsa2048-enc.pem 2>/dev/null
openssl pkcs8 -topk8 -v2 aes256 -in rsa2048-pkcs1.pem -passout pass:osprey -out rsa2048-pkcs8-enc.pem
openssl pkcs8 -topk8 -v2 des3 -v2prf hmacWithSHA1 -in rsa2048-pkcs1.pem -passout pass:osprey -out rsa2048-pkcs8-des3.pem
openssl rsa -in rsa2048-pkcs1.pem -pubout -out rsa2048-pub.pem 2>/dev/null
for c in prime256v1:p256 secp384r1:p384 secp521r1:p521; do
  n=${c%%:*}; f=${c##*:}
  openssl ecparam -name "$n" -genkey -noout -out "ec-$f-sec1.pem"
done
openssl pkcs8 -topk8 -nocrypt -in ec-p256-sec1.pem -out ec-p256-pkcs8.pem
openssl ec -in ec-p256-sec1.pem -outform DER -out ec-p256-sec1.der 2>/dev/null
openssl ec -in ec-p256-sec1.pem -aes256 -passout pass:osprey -out ec-p256-enc.pem 2>/dev/null
