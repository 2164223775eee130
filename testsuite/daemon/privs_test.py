#!/usr/bin/python3
"""Started as root outside systemd, ospreyd becomes an unprivileged user and
keeps only CAP_NET_ADMIN and CAP_NET_BIND_SERVICE (libcap-ng)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BASE_CONF, Daemon, OSPREYD, Tap, read_reply, request  # noqa: E402

if os.geteuid() != 0:
    print("1..0 # SKIP needs root to test dropping privileges")
    sys.exit(0)

CAPS = (1 << 12) | (1 << 10)  # CAP_NET_ADMIN, CAP_NET_BIND_SERVICE
NOBODY, NOGROUP = 65534, 65534
OTHER = 65533  # a uid with no account, used as a control client


def client_as(path, uid, gid, groups=()):
    """Connects to path as uid/gid in a child; returns its reply to status."""
    rpipe, wpipe = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups(list(groups))
            os.setgid(gid)
            os.setuid(uid)
            import socket
            s = socket.socket(socket.AF_UNIX)
            s.settimeout(5)
            s.connect(path)
            r = request(s, {"command": "status"})
            os.write(wpipe, json.dumps(r).encode())
        except Exception as e:  # noqa: BLE001
            os.write(wpipe, json.dumps({"exception": str(e)}).encode())
        os._exit(0)
    os.close(wpipe)
    data = b""
    while True:
        chunk = os.read(rpipe, 65536)
        if not chunk:
            break
        data += chunk
    os.close(rpipe)
    os.waitpid(pid, 0)
    return json.loads(data)


def wait_socket(path, proc):
    deadline = time.time() + 10
    while time.time() < deadline and not os.path.exists(path) and proc.poll() is None:
        time.sleep(0.05)
    return os.path.exists(path)

t = Tap(13)
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

# Started as root with a socket directory that does not exist yet: the
# directory ospreyd makes is handed over too, or members of the socket's
# group could not reach the socket.
tmp = tempfile.mkdtemp(prefix="osprey-test-")
os.chmod(tmp, 0o755)
conf = os.path.join(tmp, "osprey.conf")
with open(conf, "w") as f:
    f.write(BASE_CONF)
os.chmod(conf, 0o644)
env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
sock = os.path.join(tmp, "run", "ctl")
p = subprocess.Popen([OSPREYD, "-c", conf, "-s", sock, "--user", "nobody"], env=env,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    wait_socket(sock, p)
    time.sleep(0.2)
    st = os.stat(os.path.dirname(sock))
    t.ok((st.st_uid, st.st_gid, st.st_mode & 0o777) == (NOBODY, NOGROUP, 0o750),
         "the socket directory ospreyd made belongs to its user and group, mode 0750",
         (st.st_uid, st.st_gid, oct(st.st_mode)))
    r = client_as(sock, OTHER, NOGROUP)
    t.ok(r.get("ok") is True, "a member of the socket's group can use it", r)
finally:
    p.terminate()
    p.wait()

# Started as an unprivileged user (as systemd does) without control_group:
# the socket's group is the daemon's, and its members must be let in.
os.mkdir(os.path.join(tmp, "run2"))
os.chown(os.path.join(tmp, "run2"), NOBODY, NOGROUP)
sock = os.path.join(tmp, "run2", "ctl")


def become_nobody():
    os.setgroups([])
    os.setgid(NOGROUP)
    os.setuid(NOBODY)


p = subprocess.Popen([OSPREYD, "-c", conf, "-s", sock], env=env, preexec_fn=become_nobody,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    t.ok(wait_socket(sock, p), "ospreyd starts as an unprivileged user")
    time.sleep(0.2)
    r = client_as(sock, OTHER, NOGROUP)
    t.ok(r.get("ok") is True, "not root: members of the daemon's group may use the socket", r)
    r = client_as(sock, OTHER, OTHER, list(range(1000, 1300)) + [NOGROUP])
    t.ok(r.get("ok") is True, "a member with 301 supplementary groups is let in", r)
    r = client_as(sock, OTHER, OTHER)
    t.ok((r.get("ok") is False and "permission denied" in r.get("error", "")) or
         "Permission denied" in r.get("exception", ""), "not root: others may not", r)
finally:
    p.terminate()
    p.wait()

# --user root keeps uid 0 but still loses the supplementary groups.


def with_groups():
    os.setgroups([4, 24, 27])


p = subprocess.Popen([OSPREYD, "-c", conf, "-s", os.path.join(tmp, "ctl3"), "--user", "root"],
                     env=env, preexec_fn=with_groups, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL)
try:
    wait_socket(os.path.join(tmp, "ctl3"), p)
    time.sleep(0.2)
    st = dict(line.split(":", 1) for line in open("/proc/%d/status" % p.pid))
    t.ok(st["Groups"].strip() == "" and st["Uid"].split()[0] == "0",
         "--user root: supplementary groups dropped too", st["Groups"])
finally:
    p.terminate()
    p.wait()
shutil.rmtree(tmp, ignore_errors=True)

p = subprocess.run([OSPREYD, "-c", "/dev/null", "-s", "/tmp/osprey-privs-test.ctl",
                    "--user", "no-such-user-x"], capture_output=True, text=True, timeout=10)
t.ok(p.returncode == 1 and "no user named 'no-such-user-x'" in p.stderr,
     "an unknown user is a clear error", p.stderr)
for f in ("/tmp/osprey-privs-test.ctl", "/tmp/osprey-privs-test.ctl.lock"):
    if os.path.exists(f):
        os.unlink(f)
