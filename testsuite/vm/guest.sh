#!/bin/bash
# PID 1 of the osprey test VM, started by the initramfs /init after it
# switched to the overlay of the host's root (see testsuite/vm/run).
#
# Reads RESULTS/plan (lines: NAME TIMEOUT SCRIPT) written by the host, runs
# each scenario with its timeout and writes, into the writable results share:
#   NAME.log      everything the scenario printed
#   NAME.result   "EXIT_STATUS SECONDS"   (124: timed out; 77: skipped)
#   NAME.d/       files the scenario kept (lib.sh copies its work dir there)
#   ready         written once the VM is ready to run the first scenario
#   modules.log   "MODULE UPTIME-BEFORE UPTIME-AFTER" of each module loaded
#   dmesg.log     the guest kernel's log, at the end
# then powers the VM off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LC_ALL=C TERM=dumb
unset LANG LANGUAGE
vmdir=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$vmdir/../.." && pwd)
results=
for arg in $(</proc/cmdline); do
	case "$arg" in osprey_results=*) results=${arg#*=} ;; esac
done

say() { echo "osprey-vm: $*"; }
off() {
	sync
	say "power off"
	/bin/busybox poweroff -f
	sleep 10
}
trap off EXIT
[ -n "$results" ] && [ -f "$results/plan" ] || { say "no plan in '$results'"; exit 1; }

# shellcheck source=/dev/null
. "$results/vm.env" # KVER MODROOT (from testsuite/vm/setup)

# Modules: the kernel's own tree from the cache, visible through the 9p root.
# busybox modprobe serves both us and the kernel's autoloading.
mkdir -p /lib/modules /run/osprey-vm
ln -sfn "$MODROOT/lib/modules/$KVER" "/lib/modules/$KVER"
ln -sf /bin/busybox /run/osprey-vm/modprobe
echo /run/osprey-vm/modprobe >/proc/sys/kernel/modprobe
failed_mods=
read -r up0 _ </proc/uptime
: >"$results/modules.log"
for m in $(grep -v '^#' "$vmdir/guest-modules"); do
	read -r a _ </proc/uptime
	/run/osprey-vm/modprobe "$m" 2>/dev/null || failed_mods="$failed_mods $m"
	read -r b _ </proc/uptime
	echo "$m $a $b" >>"$results/modules.log"
done
[ -z "$failed_mods" ] || say "modules that did not load:$failed_mods"

# devtmpfs has no /dev/fd (udev makes it): bash's <(...) needs it
ln -sfn /proc/self/fd /dev/fd
ln -sfn /proc/self/fd/0 /dev/stdin
ln -sfn /proc/self/fd/1 /dev/stdout
ln -sfn /proc/self/fd/2 /dev/stderr
hostname osprey-vm 2>/dev/null || true
ip link set lo up
# Dumps of failed runs help; the console stays quiet otherwise.
echo 4 >/proc/sys/kernel/printk

read -r up _ </proc/uptime
{
	echo "uptime $up"
	echo "modules_loaded_from $up0"
	echo "failed_modules$failed_mods"
} >"$results/ready"
say "ready after $up s of guest uptime (modules from $up0 s)"

# Leaves the VM as the next scenario expects it, whatever the last one left.
reset_vm() {
	local p pid
	for p in /proc/[0-9]*; do
		pid=${p#/proc/}
		[ "$pid" = 1 ] || [ "$pid" = $$ ] || [ "$pid" = "$BASHPID" ] && continue
		[ -e "$p/exe" ] || continue # kernel threads (a test, not a process: ~0.1 s each under TCG)
		kill -9 "$pid" 2>/dev/null
	done
	ip -all netns delete 2>/dev/null
	ip xfrm state flush 2>/dev/null
	ip xfrm policy flush 2>/dev/null
	# Scenarios leave their files in /tmp; the tree itself may live there
	# too (a clone in /tmp): keep whatever holds it.
	for f in /tmp/* /tmp/.[!.]*; do
		[ -e "$f" ] || continue
		case "$tree/" in "$f"/*) continue ;; esac
		rm -rf "$f" 2>/dev/null
	done
}

n=0
while read -r name timeout script; do
	[ -n "$name" ] || continue
	[ $((n++)) = 0 ] || reset_vm
	say "BEGIN $name (timeout ${timeout}s)"
	mkdir -p "$results/$name.d"
	t0=$(date +%s%N)
	(
		cd /tmp || exit 1
		export OSPREY_VM=1 OSPREY_VM_SCENARIO="$name" OSPREY_VM_KEEP="$results/$name.d"
		exec timeout -k 5 "$timeout" bash "$script"
	) </dev/null >"$results/$name.log" 2>&1
	rc=$?
	t1=$(date +%s%N)
	secs=$(((t1 - t0) / 1000000))
	secs=$((secs / 1000)).$(printf '%03d' $((secs % 1000)))
	rmdir "$results/$name.d" 2>/dev/null
	echo "$rc $secs" >"$results/$name.result"
	say "END $name exit $rc in ${secs}s"
done <"$results/plan"

dmesg >"$results/dmesg.log" 2>&1
