# testsuite/vm/lib-osprey.sh: ospreyd helpers for scenarios (after lib.sh):
#
#   . "$(dirname "$0")/../lib.sh"
#   . "$(dirname "$0")/../lib-osprey.sh"
#
# Each gateway namespace NS has its files in $W/NS: osprey.conf (written by
# the scenario), ctl (control socket), pid, ospreyd.log.
OSPREYD=${OSPREYD:-$OSPREY_TOP/daemon/ospreyd}
OSPREYCTL=${OSPREYCTL:-$OSPREY_TOP/daemon/ospreyctl}
require ip ping tcpdump ss "$OSPREYD" "$OSPREYCTL"
"$OSPREYD" --help >/dev/null 2>&1 || fail "$OSPREYD does not run"

# A PSK for every gateway called gw*.osprey.test.
OSPREY_PSK_SECRETS='secrets = { ike-gw = { id = [ "gwa.osprey.test", "gwb.osprey.test" ];
  secret = "osprey-vm-test-bed-pre-shared-key"; }; };'

osp_start() { # osp_start NS: ospreyd in NS, waits for its socket and UDP 500
	mkdir -p "$W/$1"
	bg ip netns exec "$1" "$OSPREYD" -c "$W/$1/osprey.conf" -s "$W/$1/ctl" -p "$W/$1/pid" \
		--user root >>"$W/$1/ospreyd.log" 2>&1
	eval "OSP_PID_$1=$!"
	wait_for 30 "ospreyd in $1" test -S "$W/$1/ctl"
	wait_udp "$1" 500
}

osp_stop() { # osp_stop NS: SIGTERM, exit status 0 expected
	local pid rc
	eval "pid=\$OSP_PID_$1"
	kill -TERM "$pid"
	wait "$pid"
	rc=$?
	[ "$rc" = 0 ] || { tail -20 "$W/$1/ospreyd.log"; fail "ospreyd in $1 exited $rc"; }
	rm -f "$W/$1/ctl"
}

osp_kill() { # osp_kill NS: SIGKILL (a crash: its kernel state stays)
	local pid
	eval "pid=\$OSP_PID_$1"
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	rm -f "$W/$1/ctl"
}

octl() { # octl NS ARGS...: ospreyctl on NS's daemon
	local ns=$1
	shift
	"$OSPREYCTL" --socket "$W/$ns/ctl" "$@"
}

# osprey's kernel state is tagged by reqid 0x6f000000-0x6fffffff.
_osp_count() { awk '/reqid/ { for (i = 1; i <= NF; i++) if ($i == "reqid" &&
	$(i + 1) >= 1862270976 && $(i + 1) <= 1879048191) n++ } END { print n + 0 }'; }
osp_states() { nsx "$1" ip xfrm state | _osp_count; }     # osp_states NS
# SAs of CHILD SAs only: not the SPIs allocated for a negotiation under way
# (reqid 0x6f000000 itself, plugins/kernel-xfrm/STATUS.md).
osp_child_states() { nsx "$1" ip xfrm state | awk '/reqid/ { for (i = 1; i <= NF; i++)
	if ($i == "reqid" && $(i + 1) > 1862270976 && $(i + 1) <= 1879048191) n++ } END { print n + 0 }'; }
osp_policies() { nsx "$1" ip xfrm policy | _osp_count; }  # osp_policies NS
osp_nothing_left() { # osp_nothing_left NS: no osprey SA, policy, route or rule
	[ "$(osp_states "$1")" = 0 ] && [ "$(osp_policies "$1")" = 0 ] &&
		! nsx "$1" ip route show table 220 | grep -c 'proto 111' >/dev/null &&
		! nsx "$1" ip rule | grep -c 'proto 111' >/dev/null
}

osp_dump() { # osp_dump NS...: logs and kernel state, for a failure
	local ns
	for ns in "$@"; do
		echo "---- $ns: ospreyd.log (tail)"
		tail -25 "$W/$ns/ospreyd.log"
		echo "---- $ns: xfrm"
		nsx "$ns" ip xfrm state | grep -E '^src|proto|reqid|mark|if_id'
		nsx "$ns" ip xfrm policy
	done
}

osp_log_has() { # osp_log_has NS REGEX: NS's ospreyd log has a line matching
	grep -qE "$2" "$W/$1/ospreyd.log"
}

osp_sas_up() { # osp_sas_up NS...: each NS has at least 2 osprey SAs (a CHILD SA pair)
	local ns
	for ns in "$@"; do [ "$(osp_states "$ns")" -ge 2 ] || return 1; done
}
osp_no_child_sas() { # osp_no_child_sas NS...: no CHILD SA of osprey in any NS
	local ns
	for ns in "$@"; do [ "$(osp_child_states "$ns")" = 0 ] || return 1; done
}
osp_no_sas() { # osp_no_sas NS...: no osprey SA at all (not even an allocated SPI)
	local ns
	for ns in "$@"; do [ "$(osp_states "$ns")" = 0 ] || return 1; done
}
osp_policies_ge() { [ "$(osp_policies "$1")" -ge "$2" ]; } # osp_policies_ge NS N
