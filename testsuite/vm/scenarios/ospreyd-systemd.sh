# ospreyd under a real systemd (252, the host's): systemd runs as PID 1 of a
# container made with unshare (new mount, PID, cgroup, UTS, IPC and network
# namespaces, a cgroup2 subtree of the guest, an overlay of the guest's root
# as its root). The unit is generated from conf/ospreyd.service.in the way
# `make` does (ExecStart pointing at the built daemon in this tree) and
# installed with the tmpfiles.d and sysusers.d files where `make install`
# puts them (/usr/local/lib/...). Checks:
#   - the boot's systemd-sysusers and systemd-tmpfiles-setup create the
#     osprey user/group and /run/osprey from conf/{sysusers,tmpfiles}.d;
#   - Type=notify: `systemctl start` returns once READY=1 came, the unit is
#     active (running) with the hardening of the shipped unit (ProtectSystem=
#     strict, NoNewPrivileges, capability bounding set, RestrictAddressFamilies,
#     SystemCallFilter ...), as user osprey with only CAP_NET_ADMIN and
#     CAP_NET_BIND_SERVICE, its control socket and IKE ports open;
#   - `systemctl status` shows the STATUS= text with the SA counts;
#     `ospreyctl status` works as root and as a member of group osprey;
#   - `systemctl reload` goes through RELOADING=1 then READY=1 (systemd's
#     debug log of the notify messages); with a broken file it fails
#     (ExecReload=ospreyctl reload), ospreyd names file:line, sends READY=1
#     with "Reload rejected" and keeps running with the same PID;
#   - WatchdogSec: WATCHDOG=1 keeps the watchdog timestamp moving; a daemon
#     stopped with SIGSTOP is killed by the watchdog and restarted
#     (Restart=on-failure);
#   - `systemctl stop`: STOPPING=1, exit status 0, within 5 s.
# vm-timeout: 150
. "$(dirname "$0")/../lib.sh"
require unshare nsenter pivot_root /lib/systemd/systemd systemctl journalctl \
	systemd-sysusers systemd-tmpfiles
OSPREYD=$OSPREY_TOP/daemon/ospreyd
OSPREYCTL=$OSPREY_TOP/daemon/ospreyctl
[ -x "$OSPREYD" ] && [ -x "$OSPREYCTL" ] || skip "daemon/ospreyd or daemon/ospreyctl is not built"

# The configuration file the built daemon reads by default (configure's sysconfdir).
CONF=$("$OSPREYD" --help 2>&1 | sed -n 's/.*--config FILE.*(default \(.*\))$/\1/p')
[ -n "$CONF" ] || fail "cannot find the default configuration path in ospreyd --help"

CGROOT=/sys/fs/cgroup
CG=$CGROOT/osprey-ct # the container's cgroup subtree
CT=/tmp/osprey-ct    # its root (outside $W, which is copied to the results)
CT_PID=

# ------------------------------------------------------------- the container
ct_cleanup() {
	local d
	# the whole journal of the container, for the results
	[ -n "$CT_PID" ] && cx journalctl -b --no-pager -o short-monotonic >"$W/journal.txt" 2>&1
	if [ -d "$CG" ]; then
		# cgroup.kill (5.14+) kills everything in the subtree at once;
		# cgroup.events says "populated 0" when the whole subtree is empty
		echo 1 >"$CG/cgroup.kill" 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			grep -q '^populated 0' "$CG/cgroup.events" 2>/dev/null && break
			sleep 0.2
		done
		# children first
		find "$CG" -depth -type d 2>/dev/null | while read -r d; do rmdir "$d" 2>/dev/null; done
	fi
	umount "$CT/root" 2>/dev/null || umount -l "$CT/root" 2>/dev/null
	# never walk into a root that is still mounted
	grep -q " $CT/root " /proc/self/mounts || rm -rf "$CT"
}
trap 'rc=$?; ct_cleanup; (exit $rc); vm_cleanup' EXIT

cx() { # cx CMD...: run CMD inside the container (its namespaces and root)
	# (no `env` in between: every exec costs ~0.1 s under TCG)
	PATH=/usr/sbin:/usr/bin:/sbin:/bin SYSTEMD_PAGER='' SYSTEMD_COLORS=0 \
		nsenter -t "$CT_PID" -m -u -i -n -p -C "$@"
}
sctl() { cx systemctl --no-pager "$@"; }
prop() { # prop UNIT PROPERTY: the property's value
	sctl show -P "$2" "$1"
}
now_ms() { echo $((($(date +%s%N) - VM_T0) / 1000000)); }

# cgroup2: systemd needs a writable hierarchy of its own; a subtree of the
# guest's, seen as the root through a cgroup namespace.
if ! grep -q "^[^ ]* $CGROOT cgroup2 " /proc/mounts; then
	mount -t cgroup2 cgroup2 "$CGROOT" || skip "cannot mount cgroup2 on $CGROOT (kernel without cgroup2?)"
fi
log "cgroup2 controllers: $(cat "$CGROOT/cgroup.controllers")"
# Give the subtree the controllers systemd delegates to units (not required).
for c in $(cat "$CGROOT/cgroup.controllers"); do
	echo "+$c" >"$CGROOT/cgroup.subtree_control" 2>/dev/null || log "controller $c not enabled"
done
mkdir -p "$CG" || fail "mkdir $CG"

# The root: an overlay of the guest's root (itself an overlay of the 9p
# host root) with a tmpfs upper layer, so whatever systemd and the test write
# (/etc/passwd by sysusers, units, the journal) disappears with the scenario.
mkdir -p "$CT/root" "$CT/upper" "$CT/work"
mount -t overlay -o "lowerdir=/,upperdir=$CT/upper,workdir=$CT/work" osprey-ct "$CT/root" ||
	fail "cannot mount an overlay of / (nested overlay) on $CT/root"
R=$CT/root

# ---- install, as `make install` does with the default prefix: the built
# binaries go to /usr/local/sbin (a tree under /tmp would be hidden from the
# service by its PrivateTmp=).
mkdir -p "$R/usr/local/lib/systemd/system" "$R/usr/local/lib/tmpfiles.d" "$R/usr/local/lib/sysusers.d" \
	"$R/etc/systemd/system" "$R/usr/local/sbin"
cp "$OSPREYD" "$OSPREYCTL" "$R/usr/local/sbin/"
sed -e "s|@sbindir[@]|/usr/local/sbin|g" -e "s|@sysconfdir[@]|${CONF%/osprey/osprey.conf}|g" \
	"$OSPREY_TOP/conf/ospreyd.service.in" >"$R/usr/local/lib/systemd/system/ospreyd.service"
cp "$OSPREY_TOP/conf/tmpfiles.d/osprey.conf" "$R/usr/local/lib/tmpfiles.d/osprey.conf"
cp "$OSPREY_TOP/conf/sysusers.d/osprey.conf" "$R/usr/local/lib/sysusers.d/osprey.conf"
grep -q "^ExecStart=/usr/local/sbin/ospreyd\$" "$R/usr/local/lib/systemd/system/ospreyd.service" ||
	fail "generated unit has no ExecStart=/usr/local/sbin/ospreyd"
cp "$R/usr/local/lib/systemd/system/ospreyd.service" "$W/ospreyd.service"

# A short watchdog so that the test can see it act (the unit says 30 s).
mkdir -p "$R/etc/systemd/system/ospreyd.service.d"
cat >"$R/etc/systemd/system/ospreyd.service.d/vm-test.conf" <<EOF
[Service]
WatchdogSec=3s
RestartSec=0.2s
EOF
# A tree configured with --enable-sanitizers: LeakSanitizer's exit-time check
# dies under the unit's sandbox ("LeakSanitizer has encountered a fatal
# error", exit 1: it ptraces the process's own threads) and fails even
# --check-config. The rest of ASan/UBSan stays on.
if grep -q __asan_init "$OSPREYD"; then
	echo "Environment=ASAN_OPTIONS=detect_leaks=0" >>"$R/etc/systemd/system/ospreyd.service.d/vm-test.conf"
	log "ospreyd is built with sanitizers: the drop-in sets ASAN_OPTIONS=detect_leaks=0"
fi

# The boot goes as far as sysinit.target (which ospreyd.service needs through
# its default dependencies; it pulls in systemd-sysusers and
# systemd-tmpfiles-setup), not to the host's default.target (which has
# postgresql, strongswan ... enabled).
cat >"$R/etc/systemd/system/osprey-vm.target" <<EOF
[Unit]
Description=osprey VM test boot
Wants=sysinit.target
After=sysinit.target
AllowIsolate=yes
EOF
# The host's generators (fstab, sysv, postgresql ...) cost a process each,
# at boot and at every daemon-reload, and have nothing to say here: masked.
mkdir -p "$R/etc/systemd/system-generators"
for g in /lib/systemd/system-generators/* /usr/lib/systemd/system-generators/*; do
	[ -e "$g" ] && ln -sfn /dev/null "$R/etc/systemd/system-generators/${g##*/}"
done
# hugetlbfs and mqueue mounts: not needed, a process each
ln -sfn /dev/null "$R/etc/systemd/system/dev-hugepages.mount"
ln -sfn /dev/null "$R/etc/systemd/system/dev-mqueue.mount"
# a volatile journal: no flush to /var/log/journal
mkdir -p "$R/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\n' >"$R/etc/systemd/journald.conf.d/vm-test.conf"
# systemd-sysusers.service runs when /etc "needs update" (as after a package
# installation); the host has no /etc/.updated, make sure of it here too.
rm -f "$R/etc/.updated"
# The host's user does not exist yet in the container.
grep -q '^osprey:' "$R/etc/passwd" && fail "user osprey already exists before sysusers ran"

# The configuration: a connection, dryrun kernel backend (so the IKE engine
# runs and binds UDP 500/4500 without touching the kernel's XFRM).
mkdir -p "$R${CONF%/*}/conf.d"
cat >"$R$CONF" <<'EOF'
logging = { default = "info"; };
kernel = { backend = "dryrun"; };
connections = {
  site = {
    remote_addrs = "198.51.100.1";
    local = { auth = "psk"; id = "gw-a.example.org"; };
    remote = { auth = "psk"; id = "gw-b.example.org"; };
    children = { lan = { local_ts = "10.1.0.0/16"; remote_ts = "10.2.0.0/16"; }; };
  };
};
secrets = { ike-site = { id = "gw-b.example.org"; secret = "0123456789abcdef0123"; }; };
@include "conf.d/*.conf"
EOF
cp "$R$CONF" "$W/osprey.conf.good"

# ---- boot: PID 1 of the new PID namespace mounts the API file systems in
# the new root, pivots into it and becomes systemd.
t_boot=$(now_ms)
bg bash -c 'echo $$ >"$1/cgroup.procs" && exec unshare --mount --uts --ipc --net --pid --cgroup \
	--fork --propagation private bash -c "$2" ct-init "$3" "$4"' ct "$CG" '
set -e
r=$1
mount -t proc proc "$r/proc"
# /proc/sys read-only, as in other containers: systemd-sysctl skips, the
# host sysctl.d settings stay off the guest kernel
mount --bind "$r/proc/sys" "$r/proc/sys"
mount -o remount,bind,ro "$r/proc/sys"
# a /dev of its own (systemd adds pts, shm); no kmsg: journald would import
# the whole kernel log
mount -t tmpfs -o mode=0755,nosuid tmpfs "$r/dev"
cp -a /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty /dev/ptmx "$r/dev/"
mount -t sysfs -o ro sysfs "$r/sys"
mount -t cgroup2 cgroup2 "$r/sys/fs/cgroup"
mount -t tmpfs -o mode=0755 tmpfs "$r/run"
mount -t tmpfs -o mode=1777 tmpfs "$r/tmp"
# a tree cloned under /tmp (as CI may) would be hidden by that tmpfs
case "$2" in /tmp/*) mkdir -p "$r$2" && mount --bind "$2" "$r$2" ;; esac
cd "$r"
mkdir -p .oldroot
pivot_root . .oldroot
cd /
umount -l /.oldroot
rmdir /.oldroot
# without CAP_SYS_MODULE and CAP_SYS_RAWIO, as in other containers: the
# modprobe@ units and the debugfs/tracefs mounts skip
exec setpriv --bounding-set=-sys_module,-sys_rawio env -i container=osprey-vm PATH=/usr/sbin:/usr/bin:/sbin:/bin \
	/lib/systemd/systemd --system --unit=osprey-vm.target --show-status=no --log-target=journal-or-kmsg
' "$R" "$OSPREY_TOP" >"$W/systemd.out" 2>&1
upid=$!
# the container's PID 1 is unshare's child
# (proc files have size 0, and this one ends without a newline)
ct_forked() {
	CT_PID=
	read -r CT_PID _ <"/proc/$upid/task/$upid/children"
	[ -n "$CT_PID" ]
}
wait_for 10 "unshare to fork the container's init" ct_forked
ct_forked
# unshare itself stays in the container's cgroup, where systemd cannot see
# it: out with it, or the "no internal processes" rule of cgroup2 keeps
# systemd from enabling controllers in its subtree.
echo "$upid" >"$CGROOT/cgroup.procs" || log "cannot move unshare ($upid) out of $CG"
log "container init is pid $CT_PID"
booted() { # the manager answers and the boot job is done
	local st
	# (wait_for sends the output to /dev/null: fd 3 is the log)
	[ -e "/proc/$CT_PID/exe" ] ||
		fail "the container's init ($CT_PID) is gone: $(tail -3 "$W/systemd.out" | paste -sd' ')" >&3
	st=$(cx systemctl is-system-running 2>/dev/null)
	case $st in running | degraded) return 0 ;; esac
	return 1
}
exec 3>&1
wait_for 60 "systemd in the container to finish booting" booted
t_boot_ms=$(($(now_ms) - t_boot))
log "systemd booted in $t_boot_ms ms: $(cx systemctl is-system-running)"

# ---- what sysusers.d and tmpfiles.d made at boot
sctl is-active --quiet systemd-sysusers.service || fail "systemd-sysusers.service did not run"
pw=$(cx getent passwd osprey) || fail "sysusers.d made no user osprey"
gr=$(cx getent group osprey) || fail "sysusers.d made no group osprey"
log "sysusers.d: $pw / $gr"
OSPREY_UID=$(echo "$pw" | cut -d: -f3)
rd=$(cx stat -c '%n %a %U %G' /run/osprey /etc/osprey /etc/osprey/conf.d | paste -sd' ') ||
	fail "tmpfiles.d did not make /run/osprey, /etc/osprey, /etc/osprey/conf.d: $rd"
[ "$rd" = "/run/osprey 750 osprey osprey /etc/osprey 750 root osprey /etc/osprey/conf.d 750 root osprey" ] ||
	fail "tmpfiles.d made '$rd', not what conf/tmpfiles.d/osprey.conf says"
log "tmpfiles.d: $rd"

# The manager's debug log records every notify message it receives.
sctl log-level debug || fail "systemctl log-level debug"
# (--no-reload: a daemon-reload costs ~5 s here; is-enabled reads the links)
sctl enable --no-reload ospreyd.service >/dev/null 2>&1 || fail "systemctl enable ospreyd (the [Install] section)"
[ "$(sctl is-enabled ospreyd.service)" = enabled ] || fail "ospreyd.service is not enabled"

jrn() { # the unit's journal (the manager's messages about it and ospreyd's own)
	cx journalctl -b -u ospreyd.service -o cat --no-pager 2>&1
}
status_of() { # status_of PID: "Uid CapEff CapBnd NoNewPrivs Seccomp" of a process in the container
	cx awk '/^(Uid|CapEff|CapBnd|NoNewPrivs|Seccomp):/ { printf "%s=%s ", $1, $2 }' "/proc/$1/status"
}

# ---- start: Type=notify, systemctl returns once READY=1 came
t0=$(now_ms)
sctl start ospreyd.service || {
	jrn | tail -20
	fail "systemctl start ospreyd failed"
}
t_start=$(($(now_ms) - t0))
st=$(sctl show -p ActiveState -p SubState -p Type -p MainPID -p StatusText ospreyd.service)
log "systemctl start returned after $t_start ms: $(echo "$st" | paste -sd' ')"
case $st in *ActiveState=active*SubState=running*) ;; *) fail "not active (running) after start: $st" ;; esac
case $st in *Type=notify*) ;; *) fail "unit is not Type=notify" ;; esac
PID=$(echo "$st" | sed -n 's/^MainPID=//p')
[ "${PID:-0}" -gt 0 ] || fail "no MainPID"
j=$(jrn)
# the manager saw READY=1 before it declared the unit started
rl=$(echo "$j" | grep -n "Got notification message from PID $PID (READY=1" | head -1 | cut -d: -f1)
sl=$(echo "$j" | grep -n '^Started ospreyd.service' | head -1 | cut -d: -f1)
[ -n "$rl" ] && [ -n "$sl" ] && [ "$rl" -lt "$sl" ] || {
	echo "$j" | tail -30
	fail "the journal does not show READY=1 from $PID before 'Started ospreyd.service'"
}
log "journal: READY=1 from $PID (line $rl) before 'Started' (line $sl)"

# ---- hardening: it started with it; look at what the process got
ps1=$(status_of "$PID")
log "ospreyd process: $ps1"
case $ps1 in *"Uid:=$OSPREY_UID "*) ;; *) fail "ospreyd does not run as osprey ($OSPREY_UID): $ps1" ;; esac
# CAP_NET_ADMIN (12) and CAP_NET_BIND_SERVICE (10) only
case $ps1 in *"CapBnd:=0000000000001400 "*) ;; *) fail "bounding set is not CAP_NET_ADMIN+CAP_NET_BIND_SERVICE: $ps1" ;; esac
# AmbientCapabilities: the same two are effective
case $ps1 in *"CapEff:=0000000000001400 "*) ;; *) fail "effective set is not CAP_NET_ADMIN+CAP_NET_BIND_SERVICE: $ps1" ;; esac
case $ps1 in *"NoNewPrivs:=1 "*) ;; *) fail "NoNewPrivileges not in effect: $ps1" ;; esac
case $ps1 in *"Seccomp:=2 "*) ;; *) fail "no seccomp filter (SystemCallFilter/RestrictAddressFamilies): $ps1" ;; esac
mi=$(cx awk '$5 == "/" { print $6 }' "/proc/$PID/mountinfo")
case $mi in ro,* | *,ro,* | ro) ;; *) fail "ProtectSystem=strict: / is not read-only for ospreyd ($mi)" ;; esac
udp=$(cx cat /proc/net/udp /proc/net/udp6 | awk 'NR > 1 && $4 == "07" { print $2 }')
case $udp in *:01F4*) ;; *) fail "ospreyd has no UDP socket on port 500 (CAP_NET_BIND_SERVICE): $udp" ;; esac
case $udp in *:1194*) ;; *) fail "ospreyd has no UDP socket on port 4500: $udp" ;; esac

# ---- STATUS= and the control socket
status_has() { # status_has TEXT: `systemctl status` shows TEXT (sets $sst)
	sst=$(sctl status ospreyd.service 2>&1)
	case $sst in *"$1"*) return 0 ;; esac
	return 1
}
want='Status: "1 connection, 0 IKE SAs, 0 CHILD SAs"'
wait_for 10 "systemctl status to show $want" status_has "$want"
echo "$sst" | head -12
out=$(cx "$OSPREYCTL" status 2>&1) || fail "ospreyctl status as root: $out"
echo "$out"
case $out in *"connections:  1"*) ;; *) fail "ospreyctl status as root: $out" ;; esac
# a member of the control group (osprey), neither root nor osprey
out=$(cx setpriv --reuid=nobody --regid=nogroup --groups=osprey --inh-caps=-all \
	"$OSPREYCTL" status 2>&1) || fail "ospreyctl status as a member of group osprey: $out"
log "ospreyctl status as nobody in group osprey: ok"
if out=$(cx setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
	"$OSPREYCTL" status 2>&1); then
	fail "ospreyctl status worked for nobody outside group osprey: $out"
fi
log "ospreyctl status as nobody outside group osprey: refused ($out)"

# ---- reload: RELOADING=1 then READY=1; a broken file is rejected
confd=${CONF%/*}/conf.d
cat >"$W/second.conf" <<'EOF'
connections = {
  second = {
    remote_addrs = "198.51.100.2";
    local = { auth = "psk"; id = "gw-a.example.org"; };
    remote = { auth = "psk"; id = "gw-b.example.org"; };
  };
};
EOF
cx sh -c "cat >$confd/second.conf" <"$W/second.conf"
sctl reload ospreyd.service || fail "systemctl reload with a good configuration failed"
want='Status: "2 connections, 0 IKE SAs, 0 CHILD SAs"'
wait_for 10 "systemctl status to show $want after the reload" status_has "$want"
[ "$(prop ospreyd.service MainPID)" = "$PID" ] || fail "MainPID changed on reload"
j=$(jrn)
seq=$(echo "$j" | sed -n "s/.*Got notification message from PID $PID (\(READY=1\|RELOADING=1\).*/\1/p" | paste -sd' ')
case $seq in *"READY=1 RELOADING=1 READY=1"*) ;; *) fail "notify sequence from $PID is '$seq', not READY, RELOADING, READY" ;; esac
log "reload: notify sequence $seq; 2 connections"

echo 'connections = { third = { remote_addrs = 198.51.100.3 ; }; };' >"$W/broken.conf"
cx sh -c "cat >$confd/broken.conf" <"$W/broken.conf"
rc=0
out=$(sctl reload ospreyd.service 2>&1) || rc=$?
log "systemctl reload with a broken file: exit $rc $out"
# ExecReload=ospreyctl reload waits for the answer and fails on a rejected
# file (with ExecReload=kill -HUP, systemd 252 could not know).
[ $rc != 0 ] || fail "systemctl reload succeeded with a broken configuration"
rejected() {
	j=$(jrn)
	case $j in *"configuration rejected; the previous one keeps running"*) return 0 ;; esac
	return 1
}
wait_for 10 "ospreyd to reject the broken file" rejected
st=$(sctl show -p ActiveState -p SubState -p MainPID ospreyd.service | sort | paste -sd' ')
[ "$st" = "ActiveState=active MainPID=$PID SubState=running" ] ||
	fail "after a rejected reload: $st (wanted active running, MainPID=$PID)"
case $j in *broken.conf:1*) ;; *) fail "the journal does not name broken.conf:1" ;; esac
case $j in *"Got notification message from PID $PID (READY=1, STATUS=Reload rejected"*) ;;
*) fail "no READY=1 with STATUS=Reload rejected after the broken file" ;; esac
status_has '2 connections' || fail "status after the rejected reload: $sst"
log "broken file rejected: $(echo "$j" | grep 'broken.conf:1' | head -1); still $st"
out=$(cx "$OSPREYCTL" reload 2>&1) && fail "ospreyctl reload succeeded with a broken file: $out"
case $out in *broken.conf:1*) ;; *) fail "ospreyctl reload does not name broken.conf:1: $out" ;; esac
cx rm -f "$confd/broken.conf"

# the debug log costs (every systemctl call is ~30 lines of it): not needed
# for the watchdog
sctl log-level info
# ---- watchdog: WATCHDOG=1 moves the timestamp; a stopped daemon is killed
# and restarted
w1=$(prop ospreyd.service WatchdogTimestampMonotonic)
sleep 2
w2=$(prop ospreyd.service WatchdogTimestampMonotonic)
[ "${w1:-0}" -gt 0 ] && [ "${w2:-0}" -gt "${w1:-0}" ] ||
	fail "watchdog timestamp did not advance in 2 s (WatchdogSec=3s): $w1 -> $w2"
log "watchdog timestamp advanced by $(((w2 - w1) / 1000)) ms"
t0=$(now_ms)
cx kill -STOP "$PID" || fail "kill -STOP $PID"
restarted() {
	local s
	s=$(sctl show -p NRestarts -p MainPID -p SubState ospreyd.service | sort | paste -sd' ')
	case $s in "MainPID=$PID "*) return 1 ;; "MainPID="*" NRestarts=1 SubState=running") return 0 ;; esac
	return 1
}
wait_for 20 "the watchdog to kill and restart the stopped ospreyd" restarted
t_wd=$(($(now_ms) - t0))
j=$(jrn)
case $j in *"Watchdog timeout"*) ;; *) fail "no 'Watchdog timeout' in the journal" ;; esac
PID2=$(prop ospreyd.service MainPID)
log "watchdog: SIGSTOPped $PID killed and restarted as $PID2 in $t_wd ms: $(echo "$j" | grep -m1 'Watchdog timeout')"
wait_for 10 "the restarted ospreyd to report its status" status_has '2 connections'

# ---- stop: STOPPING=1, exit 0, within 5 s
sctl log-level debug
t0=$(now_ms)
sctl stop ospreyd.service || fail "systemctl stop failed"
t_stop=$(($(now_ms) - t0))
st=$(prop ospreyd.service ActiveState)
log "systemctl stop took $t_stop ms: $st"
[ "$st" = inactive ] || fail "after stop: $st (wanted inactive)"
[ $t_stop -le 5000 ] || fail "systemctl stop took $t_stop ms (> 5 s)"
# (the unit's ExecMain* properties are gone once it is inactive and
# unreferenced: the journal has them)
j=$(jrn)
case $j in *"Got notification message from PID $PID2 (STOPPING=1"*) ;; *) fail "no STOPPING=1 from $PID2" ;; esac
case $j in *"Main process exited, code=exited, status=0/SUCCESS"*) ;;
*) fail "no 'Main process exited, code=exited, status=0/SUCCESS' in the journal" ;; esac
cx test -e /run/osprey && fail "/run/osprey is still there after stop (RuntimeDirectoryPreserve=no)"
log "stopped: STOPPING=1 seen, exit 0, /run/osprey removed"
log "timings: container boot $t_boot_ms ms, start $t_start ms, watchdog restart $t_wd ms, stop $t_stop ms"
