#!/bin/sh
# The installed files: the systemd unit (verify, security exposure), the man
# pages (mandoc -T lint), the bash completion and the shipped configuration.
src=${top_srcdir:-.}
build=${top_builddir:-.}
n=0
failed=0
echo "1..8"
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; [ -n "$2" ] && printf '%s\n' "$2" | sed 's/^/# /'; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The unit, pointing at the built daemon so verify can check ExecStart.
sed -e "s|@sbindir@|$(cd "$build/daemon" && pwd)|g" -e "s|@sysconfdir@|/etc|g" \
	"$src/conf/ospreyd.service.in" > "$tmp/ospreyd.service"
if command -v systemd-analyze >/dev/null 2>&1; then
	if out=$(systemd-analyze verify --man=no "$tmp/ospreyd.service" 2>&1) && [ -z "$out" ]; then
		ok "systemd-analyze verify is clean"
	else
		notok "systemd-analyze verify is clean" "$out"
	fi
	out=$(systemd-analyze security --offline=true "$tmp/ospreyd.service" 2>&1)
	score=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for ospreyd.service: \([0-9.]*\).*/\1/p')
	if [ -n "$score" ] && awk "BEGIN { exit !($score <= 2.0) }"; then
		ok "systemd-analyze security exposure $score <= 2.0"
	else
		notok "systemd-analyze security exposure <= 2.0 (got '$score')" "$out"
	fi
else
	skip "systemd-analyze verify is clean" "systemd-analyze not installed"
	skip "systemd-analyze security exposure" "systemd-analyze not installed"
fi

if command -v mandoc >/dev/null 2>&1; then
	for m in ospreyd.8 ospreyctl.8 osprey.conf.5; do
		# From the man directory, so the pages find each other for their Xr references.
		if out=$(cd "$src/man" && mandoc -T lint "$m" 2>&1) && [ -z "$out" ]; then
			ok "mandoc -T lint $m is clean"
		else
			notok "mandoc -T lint $m is clean" "$out"
		fi
	done
else
	for m in ospreyd.8 ospreyctl.8 osprey.conf.5; do skip "mandoc -T lint $m" "mandoc not installed"; done
fi

if out=$(bash -n "$src/conf/bash-completion/ospreyctl" 2>&1); then
	ok "bash completion parses"
else
	notok "bash completion parses" "$out"
fi

# The shipped configuration and the example connection pass --check-config.
mkdir -p "$tmp/etc/conf.d"
cp "$src/conf/osprey.conf" "$tmp/etc/osprey.conf"
cp "$src/conf/conf.d/example.conf.sample" "$tmp/etc/conf.d/site.conf"
if out=$("$build/daemon/ospreyd" --check-config -c "$tmp/etc/osprey.conf" 2>&1) &&
	printf '%s' "$out" | grep -q "configuration OK (1 connections, 1 secrets"; then
	ok "shipped osprey.conf with the example passes --check-config"
else
	notok "shipped osprey.conf with the example passes --check-config" "$out"
fi
# ...and a mistake in it is reported with file and line, exit 1.
sed -i 's/start_action = "trap"/start_action = "trapp"/' "$tmp/etc/conf.d/site.conf"
out=$("$build/daemon/ospreyd" --check-config -c "$tmp/etc/osprey.conf" 2>&1)
rc=$?
if [ $rc = 1 ] && printf '%s' "$out" | grep -q "conf.d/site.conf:12: connections.site.children.lan.start_action: unknown value \"trapp\" (did you mean \"trap\"?)"; then
	ok "--check-config reports file:line and exits 1"
else
	notok "--check-config reports file:line and exits 1 (rc $rc)" "$out"
fi
exit 0
