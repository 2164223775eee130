#!/usr/bin/python3
"""Control socket under hostile or careless clients: idle and half-sent
requests time out (the test-only OSPREY_TEST_CTL_IDLE_TIMEOUT makes that
1 s), half-closed connections still get their answer, malformed lines get
errors, a client that sends without reading cannot grow the daemon's
memory, too many clients and running out of file descriptors neither crash
nor spin the daemon, and the files ospreyd creates are not symlink traps."""
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BASE_CONF, Daemon, OSPREYCTL, OSPREYD, Tap, read_reply, request  # noqa: E402

# ASan keeps freed memory in quarantine; keep it small so RSS shows live memory.
ENV = {"OSPREY_TEST_CTL_IDLE_TIMEOUT": "1",
       "ASAN_OPTIONS": "detect_leaks=1:quarantine_size_mb=1"}


def rss_kib(pid):
    for line in open("/proc/%d/status" % pid):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_s(pid):
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def wait_eof(s, limit):
    """Seconds until the daemon closes s (reading whatever it sends), or None."""
    t0 = time.time()
    s.settimeout(limit)
    try:
        while s.recv(65536):
            pass
    except socket.timeout:
        return None
    except ConnectionResetError:
        pass
    return time.time() - t0


def read_events(s, want, limit=5):
    """Reads event lines from s until one of type want arrives; returns it or None."""
    buf, deadline = b"", time.time() + limit
    s.settimeout(limit)
    while time.time() < deadline:
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            ev = json.loads(line)
            if ev.get("event") == want:
                return ev
        chunk = s.recv(65536)
        if not chunk:
            return None
        buf += chunk
    return None


def stats(d):
    rc, j = d.ctl_json("stats")
    return j.get("result", {}).get("control", {})


t = Tap(25)
d = Daemon(env=ENV)
try:
    # Idle clients and clients stuck mid-request are closed by the idle timeout.
    idle = d.connect()
    half = d.connect()
    half.sendall(b'{"command": "sta')
    e1, e2 = wait_eof(idle, 6), wait_eof(half, 6)
    t.ok(e1 is not None and 0.5 < e1 < 4, "an idle client is closed after the idle timeout", e1)
    t.ok(e2 is not None and e2 < 4, "a client stuck mid-request is closed too", e2)
    idle.close()
    half.close()
    t.ok(stats(d).get("timeouts", 0) >= 2, "timeouts are counted", stats(d))

    # A watcher is exempt from the idle timeout.
    w = d.connect()
    first = request(w, {"command": "watch"})
    time.sleep(2.5)
    d.ctl("log-level", "net", "debug")
    ev = read_events(w, "log-level")
    t.ok(first["ok"] and ev and ev["event"] == "log-level", "a watcher outlives the idle timeout",
         ev)
    w.close()

    # Half-closed connections still get their answers.
    s = d.connect()
    s.sendall(b'{"command": "status"}')
    s.shutdown(socket.SHUT_WR)
    r = read_reply(s)
    t.ok(r and r["ok"] and wait_eof(s, 3) is not None,
         "a last request without a newline is answered at end of stream", r)
    s.close()
    s = d.connect()
    s.sendall(b'{"command": "status"}\n' * 3 + b'{"command": "list-conns"}\n')
    s.shutdown(socket.SHUT_WR)
    s.settimeout(5)
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    lines = [json.loads(x) for x in data.splitlines()]
    t.ok(len(lines) == 4 and all(x["ok"] for x in lines) and "connections" in lines[3]["result"],
         "pipelined requests before a half-close all get answers", data[:300])
    s.close()

    # Malformed lines: an error each, the connection stays usable.
    s = d.connect()
    r1 = request(s, b'{"command": "status"}\x00{"x": 1}')
    r2 = request(s, b'{"command": "status"} {"command": "reload"}')
    r3 = request(s, b'{"command": "status", "a": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]'
                    b']]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}')
    r4 = request(s, b'{"command": "status"')
    r5 = request(s, b"\xff\xfe")
    r6 = request(s, {"command": "status"})
    t.ok(r1["ok"] is False and "NUL byte" in r1["error"], "a NUL byte in a request is refused", r1)
    t.ok(r2["ok"] is False and "text after the JSON object" in r2["error"],
         "two objects on one line are refused, not half-executed", r2)
    t.ok(r3["ok"] is False and r3["error"].startswith("bad request: invalid JSON"),
         "nesting deeper than json-c allows is refused", r3)
    t.ok(r4["ok"] is False and r4["error"].startswith("bad request: invalid JSON"),
         "an object cut short by the newline is refused", r4)
    t.ok(r5["ok"] is False and r6["ok"] is True, "invalid UTF-8 refused, connection still usable",
         [r5, r6])
    s.close()

    # A client that pipelines requests and never reads the answers: dropped
    # once 1 MiB is queued for it, and what it sends after that is not kept.
    before = rss_kib(d.proc.pid)
    s = d.connect()
    s.setblocking(False)
    chunk = b'{"command": "list-conns"}\n' * 2000
    sent, t0 = 0, time.time()
    while time.time() - t0 < 3:
        try:
            sent += s.send(chunk)
        except BlockingIOError:
            time.sleep(0.01)
        except OSError:
            break
    grown = rss_kib(d.proc.pid) - before
    t.ok(grown < 32 * 1024, "a client that never reads cannot grow the daemon's memory "
         "(grew %d KiB after %d KiB sent)" % (grown, sent // 1024), d.output()[-500:])
    t0 = time.time()
    rc, j = d.ctl_json("status")
    t.ok(rc == 0 and time.time() - t0 < 2, "others are served meanwhile", j)
    s.close()

    # Clients that hang up in the middle of their answers.
    for _ in range(20):
        s = d.connect()
        s.sendall(b'{"command": "list-conns"}\n' * 200)
        s.recv(100)
        s.close()
    rc, j = d.ctl_json("status")
    t.ok(rc == 0 and d.proc.poll() is None, "clients hanging up mid-answer do no harm", j)

    # Too many clients: the extra ones are told so, and ospreyctl shows it
    # (it must not die of SIGPIPE when the daemon hangs up first).
    held = []
    for _ in range(64):
        held.append(d.connect())
    extra = d.connect()
    r = read_reply(extra)
    extra.close()
    t.ok(r and "too many control clients (64)" in r["error"], "client 65 is refused", r)
    results = [d.ctl("status") for _ in range(10)]
    t.ok(all(rc == 1 and "too many control clients" in err for rc, out, err in results),
         "ospreyctl reports the refusal every time", results)
    for h in held:
        h.close()
    time.sleep(0.3)
    rc, j = d.ctl_json("status")
    t.ok(rc == 0, "served again once they are gone", j)
finally:
    d.stop()
    d.cleanup()

# Out of file descriptors: accept() fails; the daemon must neither spin on
# the listening socket nor flood its log, and must recover.
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (32, hard))
try:
    d = Daemon(env=ENV)
finally:
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
try:
    socks = [d.connect() for _ in range(48)]
    c0 = cpu_s(d.proc.pid)
    time.sleep(2)
    used = cpu_s(d.proc.pid) - c0
    log = d.output()
    t.ok(used < 0.5, "no busy loop when accept() fails with EMFILE (%.2f s CPU in 2 s)" % used)
    t.ok(log.count("cannot accept control clients") == 1 and "Error from accept" not in log,
         "the failure is logged once, through ospreyd's logger", log[-800:])
    for s in socks:
        s.close()
    time.sleep(1.5)
    rc, j = d.ctl_json("status")
    t.ok(rc == 0, "control socket works again afterwards", j)
finally:
    d.stop()
    d.cleanup()

# Paths ospreyd creates as root are not symlink traps, and an existing file
# where the socket should go is not deleted.
tmp = tempfile.mkdtemp(prefix="osprey-test-")
victim = os.path.join(tmp, "victim")
conf = os.path.join(tmp, "osprey.conf")
with open(victim, "w") as f:
    f.write("precious\n")
with open(conf, "w") as f:
    f.write(BASE_CONF)
user = ["--user", "root"] if os.geteuid() == 0 else []
d = None
try:
    p = subprocess.run([OSPREYD, "-c", conf, "-s", victim] + user,
                       capture_output=True, text=True, timeout=10)
    t.ok(p.returncode == 1 and "exists and is not a socket" in p.stderr and
         open(victim).read() == "precious\n", "a file at the socket path is left alone", p.stderr)
    sock = os.path.join(tmp, "ctl")
    os.symlink(victim, sock + ".lock")
    p = subprocess.run([OSPREYD, "-c", conf, "-s", sock] + user,
                       capture_output=True, text=True, timeout=10)
    t.ok(p.returncode == 1 and "symbolic link" in p.stderr and
         open(victim).read() == "precious\n", "a symlinked lock file is not followed", p.stderr)
    pidfile = os.path.join(tmp, "pid")
    os.symlink(victim, pidfile)
    logfile = os.path.join(tmp, "osprey.log")
    d = Daemon(conf=BASE_CONF + 'logging = { target = "file"; file = "%s"; };\n' % logfile,
               env=ENV, args=("--pidfile", pidfile, "-d"))
    t.ok(open(victim).read() == "precious\n" and not os.path.islink(pidfile) and
         open(pidfile).read().strip() == str(d.proc.pid),
         "a symlink at the pid file is replaced, not followed")
    # logrotate: move the log away, SIGHUP, the daemon writes a new file.
    os.rename(logfile, logfile + ".1")
    d.proc.send_signal(signal.SIGHUP)
    deadline = time.time() + 5
    while time.time() < deadline and not (os.path.exists(logfile) and
                                           "configuration reloaded" in open(logfile).read()):
        time.sleep(0.1)
    t.ok(os.path.exists(logfile) and "configuration reloaded" in open(logfile).read(),
         "SIGHUP reopens the log file (logrotate)")
    rc, j = d.ctl_json("log-level")
    t.ok(rc == 0 and set(j["result"].values()) == {"debug"}, "--debug survives a reload", j)
finally:
    if d:
        d.stop()
        d.cleanup()
    shutil.rmtree(tmp, ignore_errors=True)
sys.exit(0)
