#!/bin/sh
# The tshark oracle, as automake runs it (TAP): mkpcap writes every message of
# the sample catalogue into a pcap together with osprey's own reading of each,
# then compare.py checks that tshark's IKE dissector reads the same.
# Builds nothing: mkpcap is a check_PROGRAM that `make check` has built.
#
# Environment (set by TESTS_ENVIRONMENT): top_srcdir, top_builddir, and
# TSHARK / PYTHON3 as configure found them (empty when missing).
# Set ORACLE_KEEP=1 to keep the pcap and the JSON after a passing run; after a
# failing one they are always kept, and their directory is named.
set -u

srcdir=${top_srcdir:-$(dirname "$0")/../..}
builddir=${top_builddir:-.}
here=$srcdir/testsuite/oracle
mkpcap=$builddir/testsuite/oracle/mkpcap

skip() {
	echo "1..0 # SKIP $*"
	exit 0
}

tshark=${TSHARK:-}
if [ -z "$tshark" ] || [ ! -x "$tshark" ]; then
	tshark=$(command -v tshark 2>/dev/null || true)
fi
[ -n "$tshark" ] || skip "tshark not installed (apt-get install tshark)"

python=${PYTHON3:-}
if [ -z "$python" ] || [ ! -x "$python" ]; then
	if [ -x /usr/bin/python3 ]; then
		python=/usr/bin/python3
	else
		python=$(command -v python3 2>/dev/null || true)
	fi
fi
[ -n "$python" ] || skip "python3 not installed (apt-get install python3)"

if [ ! -x "$mkpcap" ]; then
	echo "1..1"
	echo "not ok 1 - $mkpcap not built (run make check)"
	exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/osprey-oracle.XXXXXX") || {
	echo "1..1"
	echo "not ok 1 - cannot create a temporary directory"
	exit 1
}

if ! "$mkpcap" "$tmp/samples.pcap" "$tmp/samples.json" >"$tmp/mkpcap.log" 2>&1; then
	echo "1..1"
	echo "not ok 1 - mkpcap failed: $(tr '\n' ' ' <"$tmp/mkpcap.log")"
	echo "# output kept in $tmp"
	exit 1
fi

"$python" "$here/compare.py" --tshark "$tshark" "$tmp/samples.pcap" "$tmp/samples.json"
status=$?

if [ $status -ne 0 ] || [ "${ORACLE_KEEP:-0}" = 1 ]; then
	echo "# pcap and osprey's reading kept in $tmp"
else
	rm -rf "$tmp"
fi
exit $status
