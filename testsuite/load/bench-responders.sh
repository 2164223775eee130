#!/bin/bash
# bench-responders.sh: N IKE SAs (each with one CHILD SA) from osprey-load
# against a tuned strongSwan charon and against ospreyd (kernel-dryrun), same
# proposal (aes128gcm16-prfsha256-x25519, ESP aes128gcm16, PSK), same machine,
# results side by side; then where an osprey responder's time goes (perf /
# callgrind on the engine-only responder) and the in-process engine figures.
#
# usage: bench-responders.sh [-n N] [-r RATE] [-c CONC] [--build DIR]
#                            [--only charon,ospreyd,serve,inproc,profile]
#
# Needs root (network namespaces).  Everything lives in two namespaces made
# here (olI<pid>, olR<pid>, joined by veth 10.99.0.1 <-> 10.99.0.2) and in a
# work directory; both are removed at exit.  Builds an optimised copy of the
# tree without sanitizers (unless --build names one), because the checked-in
# build uses ASan/UBSan, which would distort CPU and memory figures.
set -u
N=10000 RATE=200 CONC=8 BUILD= ONLY=charon,ospreyd,serve,inproc,profile PROF_N=2000 CG_N=200
while [ $# -gt 0 ]; do
	case $1 in
	-n) N=$2; shift 2 ;;
	-r) RATE=$2; shift 2 ;;
	-c) CONC=$2; shift 2 ;;
	--build) BUILD=$2; shift 2 ;;
	--only) ONLY=$2; shift 2 ;;
	--profile-n) PROF_N=$2; shift 2 ;;
	-h|--help) sed -n '2,16p' "$0"; exit 0 ;;
	*) echo "unknown option $1" >&2; exit 2 ;;
	esac
done
want() { case ",$ONLY," in *,$1,*) return 0 ;; esac; return 1; }

SRC=$(cd "$(dirname "$0")/../.." && pwd)
W=$(mktemp -d /tmp/osprey-bench.XXXXXX)
NS_I=olI$$ NS_R=olR$$
PROPOSAL=aes128gcm16-prfsha256-x25519 ESP=aes128gcm16
PSK=osprey-load-psk-not-secret
CHARON=${CHARON:-/usr/lib/ipsec/charon}
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	sleep 0.5
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	ip netns del "$NS_I" 2>/dev/null
	ip netns del "$NS_R" 2>/dev/null
	[ -n "${KEEP:-}" ] || rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '== %s\n' "$*"; }
load() { uptime | sed 's/.*load average/load average/'; }

[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 77; }

# ---- build ----
if [ -z "$BUILD" ]; then
	BUILD=$W/build
	say "building an optimised copy without sanitizers in $BUILD (CFLAGS=-O2 -g)"
	mkdir -p "$BUILD"
	(cd "$SRC" && git ls-files -co --exclude-standard | grep -v '\.[oa]$' | tar -cf - -T -) |
		tar -xf - -C "$BUILD"
	(cd "$BUILD" && autoreconf -fi && ./configure CFLAGS="-O2 -g" && make -j"$(nproc)") \
		>"$W/build.log" 2>&1 || { tail -30 "$W/build.log"; exit 1; }
fi
LOADT=$BUILD/testsuite/load/osprey-load
OSPREYD=$BUILD/daemon/ospreyd
[ -x "$LOADT" ] || { echo "no $LOADT" >&2; exit 1; }
if nm "$LOADT" 2>/dev/null | grep -q __asan_init; then
	echo "WARNING: $LOADT is built with ASan: figures are distorted" >&2
fi

# ---- namespaces ----
ip netns add "$NS_I" && ip netns add "$NS_R" || exit 1
ip link add "vI$$" netns "$NS_I" type veth peer name "vR$$" netns "$NS_R" || exit 1
ip -n "$NS_I" addr add 10.99.0.1/24 dev "vI$$"
ip -n "$NS_R" addr add 10.99.0.2/24 dev "vR$$"
# kernel-libipsec routes each outbound policy via its TUN device with a source
# address taken from the local TS: give the responder one (10.202.0.1).
ip -n "$NS_R" addr add 10.202.0.1/32 dev lo
for ns in "$NS_I" "$NS_R"; do
	ip -n "$ns" link set lo up
	ip -n "$ns" link set "v${ns:2:1}$$" up
done

run_load() { # responder-pid label
	local out=$W/result-$2.txt
	{
		echo "uptime before: $(load)"
		ip netns exec "$NS_I" "$LOADT" -n "$N" -r "$RATE" -c "$CONC" --proposal "$PROPOSAL" \
			--esp "$ESP" --psk "$PSK" --id load.osprey.test --timeout 60 \
			--run-timeout $((N / RATE * 3 + 120)) --pid "$1" 10.99.0.2
		echo "uptime after: $(load)"
	} >"$out" 2>&1
	cat "$out"
}

# ---- charon ----
start_charon() {
	local d=$W/charon
	mkdir -p "$d/run" "$d/swanctl"
	cat >"$d/strongswan.conf" <<EOF
charon {
  # kernel-libipsec first: it serves the IPsec SAs (this kernel has no ESP);
  # kernel-netlink serves addresses.  libipsec keeps each CHILD SA's keys
  # and cipher contexts in charon's memory (and forces UDP encapsulation).
  load = random nonce openssl pem pkcs1 curve25519 aes sha2 hmac gcm kdf kernel-libipsec kernel-netlink socket-default vici
  ikesa_table_size = 65536
  ikesa_table_segments = 16
  threads = 16
  dos_protection = no
  install_routes = no
  install_virtual_ip = no
  keep_alive = 0
  retransmit_timeout = 4.0
  filelog { load { path = /run/charon.log
    append = no
    default = 0
    ike = 1
    knl = 2
    cfg = 1 } }
  syslog { daemon { default = -1 } }
}
swanctl {
  load = random nonce openssl pem pkcs1
}
EOF
	cat >"$d/swanctl/swanctl.conf" <<EOF
connections {
  load {
    version = 2
    mobike = no
    local_addrs = 10.99.0.2
    proposals = $PROPOSAL
    unique = never
    local { auth = psk
      id = responder.osprey.test }
    remote { auth = psk }
    children { net { esp_proposals = $ESP
      local_ts = 10.202.0.0/16
      remote_ts = 10.201.0.0/16 } }
  }
}
secrets { ike-load { secret = "$PSK" } }
EOF
	ip netns exec "$NS_R" unshare -m --propagation private sh -c \
		'mount --bind "$1" /run && exec env STRONGSWAN_CONF="$2" "$3"' charon-sh \
		"$d/run" "$d/strongswan.conf" "$CHARON" >"$d/out" 2>&1 &
	CHARON_PID=$!
	PIDS+=("$CHARON_PID")
	for _ in $(seq 50); do [ -S "$d/run/charon.vici" ] && break; sleep 0.2; done
	[ -S "$d/run/charon.vici" ] || { echo "charon did not start"; cat "$d/out"; return 1; }
	STRONGSWAN_CONF=$d/strongswan.conf SWANCTL_DIR=$d/swanctl \
		swanctl --load-all --noprompt --uri "unix://$d/run/charon.vici" >"$d/load.out" 2>&1 ||
		{ cat "$d/load.out"; return 1; }
	sleep 1
}
if want charon; then
	say "charon $(dpkg-query -W -f '${Version}' strongswan-charon 2>/dev/null) (tuned, kernel-libipsec) as responder, N=$N"
	if start_charon; then
		run_load "$CHARON_PID" charon
		STRONGSWAN_CONF=$W/charon/strongswan.conf swanctl --stats --uri "unix://$W/charon/run/charon.vici" 2>&1 |
			grep -iE "IKE_SAs|half-open|worker" | sed 's/^/charon stats: /'
		kill "$CHARON_PID"; wait "$CHARON_PID" 2>/dev/null
	fi
fi

# ---- ospreyd (kernel-dryrun) ----
ospreyd_ready() {
	[ -x "$OSPREYD" ] || return 1
	mkdir -p "$W/ospreyd"
	cat >"$W/ospreyd/osprey.conf" <<EOF
kernel = { backend = "dryrun"; };
logging = { default = "error"; };
connections = {
  load = {
    local_addrs = "10.99.0.2"; remote_addrs = "%any"; proposals = "$PROPOSAL";
    local = { auth = "psk"; id = "responder.osprey.test"; };
    remote = { auth = "psk"; id = "load.osprey.test"; };
    children = { net = { local_ts = "10.202.0.0/16"; remote_ts = "10.201.0.0/16"; esp_proposals = "$ESP"; }; };
  };
};
secrets = {
  ike-load = { id = [ "load.osprey.test", "responder.osprey.test" ]; secret = "$PSK"; };
};
EOF
	"$OSPREYD" --check-config -c "$W/ospreyd/osprey.conf" >"$W/ospreyd/check.out" 2>&1 || return 1
	# The engine integration is work in progress: run it when the daemon
	# accepts the dryrun backend; say what daemon/STATUS.md claims.
	if grep -qi "engine integration" "$SRC/daemon/STATUS.md" 2>/dev/null; then
		echo "daemon/STATUS.md mentions the engine integration"
	else
		echo "daemon/STATUS.md does not mention the engine integration yet (work in progress)"
	fi
	return 0
}
if want ospreyd; then
	if ospreyd_ready; then
		say "ospreyd (kernel-dryrun) as responder, N=$N"
		ip netns exec "$NS_R" "$OSPREYD" -c "$W/ospreyd/osprey.conf" -s "$W/ospreyd/ctl" \
			-p "$W/ospreyd/pid" --user root >"$W/ospreyd/log" 2>&1 &
		OSP_PID=$!
		PIDS+=("$OSP_PID")
		for _ in $(seq 50); do [ -S "$W/ospreyd/ctl" ] && break; sleep 0.2; done
		if [ -S "$W/ospreyd/ctl" ] && kill -0 "$OSP_PID" 2>/dev/null; then
			sleep 1
			run_load "$OSP_PID" ospreyd
			"$BUILD/daemon/ospreyctl" --socket "$W/ospreyd/ctl" status 2>&1 | sed 's/^/ospreyd status: /' | head -12
		else
			echo "ospreyd did not start:"; tail -20 "$W/ospreyd/log"
		fi
		kill "$OSP_PID"; wait "$OSP_PID" 2>/dev/null
	else
		say "ospreyd: engine integration not available in this tree (see below), skipped"
		sed 's/^/  /' "$W/ospreyd/check.out" 2>/dev/null | head -5
	fi
fi

# ---- the engine alone over UDP (osprey-load --serve): not ospreyd ----
if want serve; then
	say "osprey-load --serve (engine + inline crypto on one thread over UDP; NOT ospreyd), N=$N"
	ip netns exec "$NS_R" "$LOADT" --serve --psk "$PSK" --proposal "$PROPOSAL" --esp "$ESP" \
		--timeout 60 10.99.0.2 2>"$W/serve.log" &
	SRV=$!
	PIDS+=("$SRV")
	sleep 0.5
	run_load "$SRV" serve
	kill "$SRV"; wait "$SRV" 2>/dev/null
	sed 's/^/  /' "$W/serve.log"
fi

# ---- side by side ----
if [ -f "$W/result-charon.txt" ] || [ -f "$W/result-ospreyd.txt" ] || [ -f "$W/result-serve.txt" ]; then
	say "side by side (N=$N, rate $RATE/s, concurrency $CONC, $PROPOSAL, PSK)"
	pick() { # file pattern -> value after the colon
		[ -f "$1" ] && grep -m1 "$2" "$1" | sed 's/^[^:]*: *//' || echo "-"
	}
	printf '%-22s | %-44s | %-44s | %-44s\n' "" "charon 5.9 (tuned, libipsec)" "ospreyd (kernel-dryrun)" "engine only (--serve)"
	for row in "established:" "failed:" "elapsed:" "rate:" "setup latency:" "responder CPU per SA:" \
		"responder RSS per SA:" "responder CPU:  " "responder RSS:  " "load tool CPU:" "uptime before:" "uptime after:"; do
		printf '%-22s | %-44.44s | %-44.44s | %-44.44s\n' "${row%:*}" \
			"$(pick "$W/result-charon.txt" "^$row")" "$(pick "$W/result-ospreyd.txt" "^$row")" \
			"$(pick "$W/result-serve.txt" "^$row")"
	done
fi

# ---- where the time goes ----
if want profile; then
	if perf record -e cpu-clock -o "$W/probe.data" true >/dev/null 2>&1; then
		say "perf: osprey-load --serve responder, $PROF_N SAs, cpu-clock sampling (flat, self time)"
		ip netns exec "$NS_R" perf record -e cpu-clock -F 2000 -o "$W/perf.data" -- "$LOADT" --serve \
			--psk "$PSK" --proposal "$PROPOSAL" --esp "$ESP" 10.99.0.2 2>"$W/perf-serve.log" &
		PP=$!
		PIDS+=("$PP")
		sleep 1
		SRVPID=$(pgrep -P "$PP" -f "osprey-load --serve" | head -1)
		ip netns exec "$NS_I" "$LOADT" -n "$PROF_N" -r "$RATE" -c "$CONC" --psk "$PSK" \
			--proposal "$PROPOSAL" --esp "$ESP" 10.99.0.2 >"$W/perf-load.txt" 2>&1
		[ -n "$SRVPID" ] && kill "$SRVPID"
		wait "$PP" 2>/dev/null
		grep -E "^(established|rate)" "$W/perf-load.txt"
		echo "-- by shared object --"
		perf report -i "$W/perf.data" --no-children --sort dso --stdio 2>/dev/null |
			grep -E '^ +[0-9]' | head -8
		echo "-- top functions (self) --"
		perf report -i "$W/perf.data" --no-children --sort dso,sym --stdio 2>/dev/null |
			grep -E '^ +[0-9]' | head -25
	else
		say "perf does not work here; skipping the perf profile"
	fi
	if command -v valgrind >/dev/null; then
		say "callgrind: osprey-load --serve responder, $CG_N SAs (inclusive cost, % of the responder's instructions)"
		ip netns exec "$NS_R" valgrind --tool=callgrind --callgrind-out-file="$W/cg.out" "$LOADT" --serve \
			--psk "$PSK" --proposal "$PROPOSAL" --esp "$ESP" --timeout 120 10.99.0.2 2>"$W/cg-serve.log" &
		CP=$!
		PIDS+=("$CP")
		sleep 3
		ip netns exec "$NS_I" "$LOADT" -n "$CG_N" -r 20 -c 4 --psk "$PSK" --timeout 120 \
			--proposal "$PROPOSAL" --esp "$ESP" 10.99.0.2 >"$W/cg-load.txt" 2>&1
		kill "$CP"; wait "$CP" 2>/dev/null
		grep -E "^(established)" "$W/cg-load.txt"
		grep "osprey-load --serve:" "$W/cg-serve.log" | tail -1
		callgrind_annotate --inclusive=yes "$W/cg.out" 2>/dev/null |
			grep -E '^ *[0-9,]+ +\(' | head -30
	fi
fi

# ---- in-process engine pair ----
if want inproc; then
	say "IN-PROCESS engine pair (osprey-load --inproc, no sockets; NOT ospreyd), N=$N; $(load)"
	"$LOADT" --inproc -n "$N" -c 64 --proposal "$PROPOSAL" --esp "$ESP"
	echo "uptime after: $(load)"
fi
