# osprey-psk-tunnel with ESP aes256-sha256: cbc(aes) + hmac(sha256)
# truncated to 128 bits (see osprey-psk-tunnel.sh for what is checked).
# vm-timeout: 150
OSPREY_ESP=aes256-sha256
OSPREY_KALG='auth-trunc hmac(sha256)'
. "$(dirname "$0")/osprey-psk-tunnel.sh"
