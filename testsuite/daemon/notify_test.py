#!/usr/bin/python3
"""systemd's notify protocol, spoken for real: the test listens on its own
NOTIFY_SOCKET and checks READY, STATUS, WATCHDOG, RELOADING and STOPPING."""
import os
import signal
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BASE_CONF, Daemon, Tap  # noqa: E402

t = Tap(13)
tmp = tempfile.mkdtemp(prefix="osprey-notify-")
path = os.path.join(tmp, "notify")
ns = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
ns.bind(path)
ns.settimeout(5)


def messages(until, timeout=5):
    """Datagrams (as dicts) until one satisfies until(), or the timeout."""
    got = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            data = ns.recv(4096).decode()
        except socket.timeout:
            break
        m = dict(line.split("=", 1) for line in data.split("\n") if "=" in line)
        got.append(m)
        if until(m):
            break
    return got


d = Daemon(env={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "400000"}, wait=False)
try:
    got = messages(lambda m: m.get("READY") == "1")
    t.ok(got and got[-1].get("READY") == "1", "READY=1 after start", got)
    d.wait_ready()
    got = messages(lambda m: "STATUS" in m and "connection" in m["STATUS"])
    status = got[-1].get("STATUS", "") if got else ""
    t.ok(status.startswith("2 connections, 0 IKE SAs, 0 CHILD SAs"), "STATUS= with SA counts",
         got)

    got = messages(lambda m: False, timeout=1.1)
    dogs = [m for m in got if m.get("WATCHDOG") == "1"]
    t.ok(len(dogs) >= 3, "WATCHDOG=1 every half interval (>= 3 in 1.1 s at 400 ms)", got)

    d.proc.send_signal(signal.SIGHUP)
    got = messages(lambda m: m.get("RELOADING") == "1")
    t.ok(got and got[-1].get("RELOADING") == "1", "RELOADING=1 on SIGHUP", got)
    t.ok(got and got[-1].get("MONOTONIC_USEC", "").isdigit(), "RELOADING carries MONOTONIC_USEC",
         got)
    got = messages(lambda m: m.get("READY") == "1")
    t.ok(got and got[-1].get("READY") == "1", "READY=1 after the reload", got)

    # A broken file: RELOADING, then READY again with the old configuration.
    d.write_conf(BASE_CONF + "\nconnections = oops\n")
    rc, out, err = d.ctl("reload")
    got = messages(lambda m: m.get("READY") == "1")
    t.ok(rc == 1 and any(m.get("RELOADING") == "1" for m in got) and
         got[-1].get("READY") == "1", "rejected reload: RELOADING then READY", got)
    t.ok("previous configuration" in got[-1].get("STATUS", ""),
         "STATUS says the previous configuration runs", got)
    t.ok(d.proc.poll() is None, "still running after a rejected reload")

    d.proc.send_signal(signal.SIGTERM)
    got = messages(lambda m: m.get("STOPPING") == "1")
    t.ok(got and got[-1].get("STOPPING") == "1", "STOPPING=1 on SIGTERM", got)
    try:
        rc = d.proc.wait(timeout=5)
    except Exception:  # noqa: BLE001
        rc = None
    t.ok(rc == 0, "exit 0 after STOPPING", d.output())

    # Without WatchdogSec no WATCHDOG pings are sent.
    d2 = Daemon(env={"NOTIFY_SOCKET": path}, wait=False)
    got = messages(lambda m: m.get("READY") == "1")
    t.ok(got and got[-1].get("READY") == "1", "READY=1 without a watchdog")
    got = messages(lambda m: False, timeout=0.6)
    t.ok(not any("WATCHDOG" in m for m in got), "no WATCHDOG=1 when WatchdogSec is unset", got)
    d2.stop()
    d2.cleanup()
finally:
    d.cleanup()
    ns.close()
    os.unlink(path)
    os.rmdir(tmp)
