#!/usr/bin/python3
"""Control socket and ospreyctl: every command in human and JSON form, bad
requests, unauthorised and stalling clients, single instance, shutdown."""
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Daemon, Tap, OSPREYCTL, OSPREYD, request, read_reply  # noqa: E402

t = Tap(47)
d = Daemon(args=("--pidfile", "PIDFILE"))
pidfile = "PIDFILE"
try:
    # status
    rc, out, err = d.ctl("status")
    # The default kernel backend is "xfrm" (plugins/kernel-xfrm): the engine runs.
    t.ok(rc == 0 and "connections:  2" in out and
         "IKE engine:   running, kernel backend xfrm" in out, "status (human)", out + err)
    rc, j = d.ctl_json("status")
    t.ok(rc == 0 and j["ok"] and j["result"]["connections"] == 2 and
         j["result"]["ike_engine"] is True and j["result"]["pid"] == d.proc.pid and
         j["result"]["engine"]["kernel_backend"] == "xfrm", "status --json", j)

    # list-conns
    rc, out, err = d.ctl("list-conns")
    lines = out.splitlines()
    t.ok(rc == 0 and lines[0].split()[:4] == ["NAME", "IKE", "LOCAL", "REMOTE"] and
         lines[1].startswith("home") and "net(tunnel)" in lines[1] and
         lines[2].startswith("road"), "list-conns (human table)", out + err)
    rc, j = d.ctl_json("list-conns")
    conns = j.get("result", {}).get("connections", [])
    t.ok(rc == 0 and [c["name"] for c in conns] == ["home", "road"] and
         conns[0]["proposals"] == ["aes256gcm16-prfsha384-x25519"] and
         conns[0]["dpd_delay"] == 30 and conns[0]["children"][0]["remote_ts"] == ["10.2.0.0/16"]
         and "secret" not in json.dumps(j), "list-conns --json (defaults, no secrets)", j)

    # list-sas: empty until the IKE engine exists, and says so truthfully
    rc, out, err = d.ctl("list-sas")
    t.ok(rc == 0 and out == "no IKE SAs\n", "list-sas (human, empty)", out + err)
    rc, j = d.ctl_json("list-sas")
    t.ok(rc == 0 and j == {"ok": True, "result": {"ike_sas": []}}, "list-sas --json", j)
    rc, j = d.ctl_json("list-sas", "home")
    t.ok(rc == 0 and j["result"]["ike_sas"] == [], "list-sas CONN --json", j)
    rc, out, err = d.ctl("list-sas", "nope")
    t.ok(rc == 1 and "no connection named 'nope'" in err, "list-sas of an unknown connection",
         out + err)

    # initiate
    rc, j = d.ctl_json("initiate", "nope")
    t.ok(rc == 1 and j == {"ok": False, "error": "no connection named 'nope'"},
         "initiate unknown connection: JSON error", j)
    rc, out, err = d.ctl("initiate", "home")
    t.ok(rc == 0, "initiate known connection: started", out + err)
    rc, j = d.ctl_json("initiate", "home")
    t.ok(rc == 0 and j["ok"], "initiate --json", j)
    rc, out, err = d.ctl("initiate", "home", "lan")
    t.ok(rc == 1 and "connection 'home' has no child named 'lan'" in err,
         "initiate with an unknown child", err)

    # terminate / rekey
    rc, out, err = d.ctl("terminate", "home")
    t.ok(rc == 1 and "connection 'home' has no IKE SA to terminate" in err,
         "terminate (human)", err)
    rc, j = d.ctl_json("terminate", "--ike-sa", "5")
    t.ok(rc == 1 and j == {"ok": False, "error": "no IKE SA with id 5"}, "terminate --json", j)
    rc, out, err = d.ctl("rekey", "road")
    t.ok(rc == 1 and "connection 'road' has no IKE SA to rekey" in err, "rekey (human)", err)
    rc, j = d.ctl_json("rekey", "ghost")
    t.ok(rc == 1 and j["error"] == "no connection named 'ghost'", "rekey --json", j)

    # reload
    rc, out, err = d.ctl("reload")
    t.ok(rc == 0 and out.startswith("configuration reloaded") and "unchanged:  2" in out,
         "reload (human)", out + err)
    rc, j = d.ctl_json("reload")
    t.ok(rc == 0 and j["result"] == {"added": [], "removed": [], "changed": [], "unchanged": 2},
         "reload --json", j)

    # log-level
    rc, out, err = d.ctl("log-level")
    t.ok(rc == 0 and out.splitlines()[0].split() == ["SUBSYSTEM", "LEVEL"] and
         "crypto     info" in out, "log-level (human)", out + err)
    rc, out, err = d.ctl("log-level", "ike", "debug")
    t.ok(rc == 0 and "ike        debug" in out, "log-level ike debug (human)", out + err)
    rc, j = d.ctl_json("log-level", "all", "notice")
    t.ok(rc == 0 and set(j["result"].values()) == {"notice"}, "log-level all notice --json", j)
    rc, j = d.ctl_json("log-level", "ikee", "debug")
    t.ok(rc == 1 and "did you mean 'ike'" in j["error"], "log-level unknown subsystem", j)
    rc, j = d.ctl_json("log-level", "ike", "loud")
    t.ok(rc == 1 and "unknown level 'loud'" in j["error"], "log-level unknown level", j)

    # stats
    rc, out, err = d.ctl("stats")
    t.ok(rc == 0 and "exchanges" in out and "retransmits" in out and "cookies sent" in out and
         "packets dropped" in out, "stats (human)", out + err)
    rc, j = d.ctl_json("stats")
    r = j.get("result", {})
    t.ok(rc == 0 and r["control"]["requests"] > 10 and "no_proposal_chosen" in r["failures"] and
         "malformed" in r["dropped"] and r["exchanges"]["ike_sa_init"] == 0, "stats --json", j)

    # watch: events arrive as they happen, in both forms
    w = subprocess.Popen([OSPREYCTL, "--socket", d.sock, "--json", "watch"],
                         stdout=subprocess.PIPE, text=True)
    first = w.stdout.readline()
    d.ctl("log-level", "net", "debug")
    ev = []
    deadline = time.time() + 5
    while time.time() < deadline:
        line = w.stdout.readline()
        if not line:
            break
        ev.append(json.loads(line))
        if ev[-1]["event"] == "log-level":
            break
    w.terminate()
    w.wait()
    t.ok(json.loads(first)["result"]["watching"] and ev and ev[-1]["event"] == "log-level" and
         ev[-1]["data"] == {"subsystem": "net", "level": "debug"}, "watch --json", ev)
    w = subprocess.Popen([OSPREYCTL, "--socket", d.sock, "watch"], stdout=subprocess.PIPE,
                         text=True)
    first = w.stdout.readline()
    time.sleep(0.2)
    d.ctl("reload")
    lines = []
    deadline = time.time() + 5
    while time.time() < deadline:
        line = w.stdout.readline()
        if not line:
            break
        lines.append(line)
        if " reload " in line:
            break
    w.terminate()
    w.wait()
    t.ok(first.startswith("watching") and lines and " reload  added [] removed [] changed []"
         in lines[-1], "watch (human)", "".join(lines))

    # bad requests: a JSON error each time, and the connection stays usable
    s = d.connect()
    r1 = request(s, "this is not json")
    r2 = request(s, "[1, 2]")
    r3 = request(s, {"command": "stauts"})
    r4 = request(s, {"nocommand": 1})
    r5 = request(s, {"command": "status"})
    t.ok(r1["ok"] is False and r1["error"].startswith("bad request: invalid JSON"),
         "invalid JSON gets an error", r1)
    t.ok(r2["ok"] is False and "expected a JSON object" in r2["error"], "non-object request", r2)
    t.ok(r3["error"] == "unknown command 'stauts' (did you mean 'status'?)",
         "unknown command with suggestion", r3)
    t.ok(r4["error"] == "bad request: no \"command\" string", "request without command", r4)
    t.ok(r5["ok"] is True, "connection still usable after bad requests", r5)
    r6 = request(s, {"command": "terminate", "ike_sa": "x"})
    t.ok(r6["ok"] is False and "must be" in r6["error"], "argument of the wrong type", r6)
    s.close()

    # an oversized request: error, then the daemon closes that connection
    s = d.connect()
    s.sendall(b"x" * (70 * 1024))
    r = read_reply(s)
    try:
        closed = s.recv(10) == b""
    except ConnectionResetError:  # unread input makes the close a reset
        closed = True
    t.ok(r and "longer than 65536 bytes" in r["error"] and closed,
         "oversized request refused and connection closed", r)
    s.close()

    # a client that hangs mid-request does not stall the daemon
    hung = d.connect()
    hung.sendall(b'{"command": "sta')
    t0 = time.time()
    rc, j = d.ctl_json("status")
    t.ok(rc == 0 and time.time() - t0 < 2 and j["result"]["control_clients"] >= 2,
         "a hung client does not stall others", j)
    hung.close()

    # an unauthorised client is refused even if the socket mode lets it in
    if os.geteuid() == 0:
        os.chmod(d.sock, 0o666)
        rpipe, wpipe = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
                s = d.connect()
                r = read_reply(s)  # refused at once, before any request
                os.write(wpipe, json.dumps(r).encode())
            except Exception as e:  # noqa: BLE001
                os.write(wpipe, json.dumps({"exception": str(e)}).encode())
            os._exit(0)
        os.close(wpipe)
        data = os.read(rpipe, 65536)
        os.waitpid(pid, 0)
        os.chmod(d.sock, 0o660)
        r = json.loads(data)
        t.ok(r.get("ok") is False and r["error"].startswith("permission denied: uid 65534"),
             "unauthorised client refused (SO_PEERCRED)", r)
        rc, j = d.ctl_json("stats")
        t.ok(j["result"]["control"]["refused"] == 1, "refusal counted in stats", j)
    else:
        t.skip("unauthorised client refused (SO_PEERCRED)", "needs root to change uid")
        t.skip("refusal counted in stats", "needs root")

    # socket mode
    mode = os.stat(d.sock).st_mode & 0o777
    t.ok(mode == 0o660, "control socket mode is 0660", oct(mode))

    # a second instance on the same socket is refused with a clear message
    p = subprocess.run([OSPREYD, "-c", d.conf, "-s", d.sock, "--user", "root"],
                       capture_output=True, text=True, timeout=10)
    t.ok(p.returncode == 1 and ("another ospreyd (pid %d) is already running on control socket %s"
                                % (d.proc.pid, d.sock)) in p.stderr,
         "second instance refused", p.stderr)
    rc, j = d.ctl_json("status")
    t.ok(rc == 0, "first instance still serving", j)

    # usage errors and no daemon
    rc, out, err = d.ctl("initiate")
    t.ok(rc == 2 and "wrong arguments for 'initiate'" in err, "usage error exits 2", err)
    rc, out, err = d.ctl("frobnicate")
    t.ok(rc == 2 and "unknown command 'frobnicate'" in err, "unknown ospreyctl command", err)
    p = subprocess.run([OSPREYCTL, "--socket", d.sock + ".none", "status"],
                       capture_output=True, text=True)
    t.ok(p.returncode == 1 and "is ospreyd running?" in p.stderr, "no daemon: clear message",
         p.stderr)

    # pid file
    pf = os.path.join(os.getcwd(), pidfile)
    t.ok(os.path.exists(pf) and open(pf).read().strip() == str(d.proc.pid), "pid file written")

    # SIGTERM: clean exit 0 within 5 s, socket and pid file removed
    t0 = time.time()
    rc = d.stop(signal.SIGTERM, timeout=5)
    t.ok(rc == 0 and time.time() - t0 < 5, "SIGTERM exits 0 within 5 s", d.output())
    t.ok(not os.path.exists(d.sock) and not os.path.exists(pf),
         "socket and pid file removed on exit")
    rc_int = None
    d2 = Daemon()
    rc_int = d2.stop(signal.SIGINT, timeout=5)
    d2.cleanup()
    t.ok(rc_int == 0, "SIGINT exits 0")
finally:
    d.cleanup()
    if os.path.exists(pidfile):
        os.unlink(pidfile)
sys.exit(0)
