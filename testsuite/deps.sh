#!/bin/sh
# Installs everything osprey needs to build and test on Debian 12 (run as root).
# Safe to run again: apt-get skips what is already there.
set -e
PKGS="build-essential autoconf automake libtool pkg-config clang \
 libevent-dev libmbedtls-dev libnl-3-dev libnl-xfrm-3-dev libnl-route-3-dev \
 libconfig-dev libsystemd-dev libjson-c-dev libcap-ng-dev libpcap-dev libcmocka-dev \
 libclang-rt-14-dev tshark python3 mandoc iproute2 systemd openssl procps netbase nftables \
 strongswan-charon strongswan-swanctl libcharon-extra-plugins \
 libstrongswan-standard-plugins"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "osprey: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# tshark asks whether non-root users may capture; the default (no) is fine.
	echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
	apt-get install -y -q --no-install-recommends $missing
fi
