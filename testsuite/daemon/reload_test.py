#!/usr/bin/python3
"""Reload semantics: a broken file is rejected whole and the old configuration
keeps running (errors go to the caller); a good one is applied with the
connections sorted into added, removed, changed and unchanged."""
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Daemon, Tap  # noqa: E402

SECRET = 'secrets = { ike-p = { secret = "0123456789abcdef0123"; }; };\n'


def conf(conns):
    return "connections = {\n%s};\n%s" % ("".join(
        "  %s = { remote_addrs = \"%s\"; local = { auth = \"psk\"; }; };\n" % c
        for c in conns), SECRET)


def names(d):
    rc, j = d.ctl_json("list-conns")
    return [c["name"] for c in j["result"]["connections"]]


t = Tap(12)
d = Daemon(conf=[("keep", "192.0.2.1"), ("change", "192.0.2.2"), ("drop", "192.0.2.3")] and
           conf([("keep", "192.0.2.1"), ("change", "192.0.2.2"), ("drop", "192.0.2.3")]))
try:
    t.ok(names(d) == ["keep", "change", "drop"], "initial connections")

    # broken: a syntax error
    d.write_conf(conf([("keep", "192.0.2.1")]) + "daemon = {\n")
    rc, j = d.ctl_json("reload")
    t.ok(rc == 1 and j["ok"] is False and "previous configuration is still running" in j["error"],
         "syntax error: reload rejected", j)
    e = j.get("errors", [{}])[0]
    t.ok(e.get("file") == d.conf and e.get("line", 0) > 0 and "syntax error" in e["text"],
         "the error names file and line", j)
    t.ok(names(d) == ["keep", "change", "drop"], "old configuration still running")

    # broken: valid syntax, one bad connection among good ones -> rejected whole
    d.write_conf(conf([("keep", "192.0.2.1"), ("new", "192.0.2.300")]))
    rc, out, err = d.ctl("reload")
    t.ok(rc == 1 and "osprey.conf:3: connections.new.remote_addrs: '192.0.2.300' is not a valid"
         in err, "semantic error reported to the caller (human)", err)
    t.ok(names(d) == ["keep", "change", "drop"], "nothing of the broken file applied")

    # broken file via SIGHUP: logged, daemon keeps running the old one
    d.proc.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    t.ok(d.proc.poll() is None and names(d) == ["keep", "change", "drop"],
         "SIGHUP with a broken file keeps the old configuration")
    t.ok("configuration rejected; the previous one keeps running" in d.output(),
         "SIGHUP rejection is logged", d.output())

    # good file
    d.write_conf(conf([("keep", "192.0.2.1"), ("change", "192.0.2.22"), ("add", "192.0.2.4")]))
    rc, j = d.ctl_json("reload")
    t.ok(rc == 0 and j["result"] == {"added": ["add"], "removed": ["drop"], "changed": ["change"],
                                     "unchanged": 1}, "good reload: added/removed/changed", j)
    t.ok(names(d) == ["keep", "change", "add"], "new configuration running")
    rc, j = d.ctl_json("list-conns")
    t.ok(j["result"]["connections"][1]["remote_addrs"] == ["192.0.2.22"],
         "changed connection has its new settings")

    # moving a connection within the file is not a change
    d.write_conf("\n\n" + conf([("add", "192.0.2.4"), ("keep", "192.0.2.1"),
                                ("change", "192.0.2.22")]))
    rc, j = d.ctl_json("reload")
    t.ok(rc == 0 and j["result"]["unchanged"] == 3 and not j["result"]["changed"],
         "reordering is no change", j)
finally:
    d.stop()
    d.cleanup()
