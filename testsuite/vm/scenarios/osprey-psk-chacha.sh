# osprey-psk-tunnel with ESP chacha20poly1305:
# rfc7539esp(chacha20,poly1305) (see osprey-psk-tunnel.sh for what is checked).
# vm-timeout: 150
OSPREY_ESP=chacha20poly1305
OSPREY_KALG='aead rfc7539esp(chacha20,poly1305)'
. "$(dirname "$0")/osprey-psk-tunnel.sh"
