#!/usr/bin/python3
"""Started as root outside systemd, ospreyd becomes an unprivileged user and
keeps only CAP_NET_ADMIN and CAP_NET_BIND_SERVICE (libcap-ng)."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Daemon, OSPREYD, Tap  # noqa: E402

if os.geteuid() != 0:
    print("1..0 # SKIP needs root to test dropping privileges")
    sys.exit(0)

CAPS = (1 << 12) | (1 << 10)  # CAP_NET_ADMIN, CAP_NET_BIND_SERVICE
t = Tap(6)
d = Daemon(args=("--user", "nobody"), env={"ASAN_OPTIONS": "detect_leaks=0"})
try:
    st = dict(line.split(":", 1) for line in open("/proc/%d/status" % d.proc.pid))
    uids = st["Uid"].split()
    t.ok(uids == ["65534"] * 4, "runs as nobody (real, effective, saved, fs uid)", st["Uid"])
    t.ok(int(st["CapEff"], 16) == CAPS and int(st["CapPrm"], 16) == CAPS,
         "effective and permitted: CAP_NET_ADMIN and CAP_NET_BIND_SERVICE only",
         st["CapEff"] + st["CapPrm"])
    t.ok(int(st["CapBnd"], 16) == 0, "bounding set cleared", st["CapBnd"])
    t.ok(st["Groups"].strip() == "", "supplementary groups dropped", st["Groups"])
    rc, j = d.ctl_json("status")
    t.ok(rc == 0 and j["ok"], "root can still use the control socket", j)
finally:
    d.stop()
    d.cleanup()

p = subprocess.run([OSPREYD, "-c", "/dev/null", "-s", "/tmp/osprey-privs-test.ctl",
                    "--user", "no-such-user-x"], capture_output=True, text=True, timeout=10)
t.ok(p.returncode == 1 and "no user named 'no-such-user-x'" in p.stderr,
     "an unknown user is a clear error", p.stderr)
for f in ("/tmp/osprey-privs-test.ctl", "/tmp/osprey-privs-test.ctl.lock"):
    if os.path.exists(f):
        os.unlink(f)
