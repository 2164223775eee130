# The README's demo (testsuite/demo --here) on a kernel with ESP: gateways
# gw-a and gw-b in namespaces, ospreyd (xfrm backend, IKEv2 PSK) on each, a
# tunnel between 10.1.0.0/24 and 10.2.0.0/24, 4 pings from host-a to host-b
# through it, `ospreyctl list-sas` from both sides. testsuite/demo runs this
# scenario (testsuite/vm/run demo) when the host's kernel has no ESP and
# prints its log.
# vm-timeout: 90
. "$(dirname "$0")/../lib.sh"
require ip ping ss "$OSPREY_TOP/daemon/ospreyd" "$OSPREY_TOP/daemon/ospreyctl"
"$OSPREY_TOP/testsuite/demo" --here
