#!/usr/bin/python3
"""Reload with live SAs (issue 4): two ospreyd (kernel-dryrun) in two
namespaces, connections a and b established.  A broken file is rejected
whole (file:line to the caller) and both SAs stay; removing b deletes its
SAs on both sides while a keeps its SPIs; changing a's ESP proposal keeps
a's SA and the next initiation uses the new proposal; adding c lets c come
up; `stats --json` counts the exchanges."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netns import Net, Ospreyd, Tap, can_netns, established, skip_all, wait_for  # noqa

PSK = "osprey-reload-psk-not-secret"
ADDR = ("192.0.2.1", "192.0.2.2")
NETS = {"a": ("10.1.1.0/24", "10.2.1.0/24"), "b": ("10.1.2.0/24", "10.2.2.0/24"),
        "c": ("10.1.3.0/24", "10.2.3.0/24")}


def conf(me, conns, esp=None):
    """conns: names; esp: {name: [proposals]} (default aes256gcm16)."""
    other = 1 - me
    cs, ss = [], []
    for n in conns:
        props = ", ".join('"%s"' % p for p in (esp or {}).get(n, ["aes256gcm16"]))
        cs.append("""  %s = {
    local_addrs = "%s"; remote_addrs = "%s"; proposals = "aes256gcm16-prfsha384-x25519";
    local = { auth = "psk"; id = "node%d-%s.example"; };
    remote = { auth = "psk"; id = "node%d-%s.example"; };
    children = { %s = { local_ts = "%s"; remote_ts = "%s"; esp_proposals = [ %s ]; }; };
  };""" % (n, ADDR[me], ADDR[other], me, n, other, n, n, NETS[n][me], NETS[n][other], props))
        ss.append('  ike-%s = { id = [ "node0-%s.example", "node1-%s.example" ]; secret = "%s"; };'
                  % (n, n, n, PSK))
    return """kernel = { backend = "dryrun"; };
logging = { default = "info"; };
connections = {
%s
};
secrets = {
%s
};
""" % ("\n".join(cs), "\n".join(ss))


def snapshot(d, conn):
    """(unique id, IKE SPIs, CHILD SPIs) of each established SA of conn."""
    out = []
    for s in established(d.sas(conn), conn):
        kids = tuple((c["spi_in"], c["spi_out"], c.get("encr")) for c in s.get("child_sas", []))
        out.append((s["unique_id"], s["spi_i"], s["spi_r"], kids))
    return sorted(out)


def up(d, conn, n=1):
    e = established(d.sas(conn), conn)
    return len(e) == n and all(s.get("child_sas") for s in e)


def kernel_spis(d):
    return {s["spi"] for s in d.kernel().get("sas", [])}


def main():
    why = can_netns()
    if why:
        skip_all(why)
    t = Tap(18)
    net = Net("rl", [ADDR[0]], [ADDR[1]])
    # node 1 answers a (either ESP proposal), b and c from the start
    both = {"a": ["aes256gcm16", "chacha20poly1305"]}
    d0 = Ospreyd(net.ns[0], conf(0, ["a", "b"]), "i")
    d1 = Ospreyd(net.ns[1], conf(1, ["a", "b", "c"], both), "r")
    logs = lambda: d0.output()[-2500:] + "\n----\n" + d1.output()[-2500:]  # noqa
    try:
        d0.ctl("initiate", "a")
        d0.ctl("initiate", "b")
        ok = wait_for(lambda: all(up(x, c) for x in (d0, d1) for c in "ab"), 10)
        t.ok(ok, "a and b established on both sides", logs())
        a0, a1 = snapshot(d0, "a"), snapshot(d1, "a")
        b0 = snapshot(d0, "b")

        # (a) broken file: rejected whole, file:line to the caller
        with open(d0.conf, "w") as f:
            f.write(conf(0, ["a"]).replace('proposals = "aes256gcm16-prf',
                                           'proposals = "aes257gcm16-prf'))
        rc, out, err = d0.ctl("reload")
        t.ok(rc != 0 and re.search(r"osprey\.conf:\d+: ", err) and "previous configuration" in err,
             "broken file: reload rejected, file:line reported", out + err)
        j = d0.ctl_json("reload")
        e = (j.get("errors") or [{}])[0]
        t.ok(j.get("ok") is False and e.get("file") == d0.conf and e.get("line", 0) > 0,
             "broken file: --json errors name file and line", j)
        ok = a0 and a1 and b0 and wait_for(
            lambda: snapshot(d0, "a") == a0 and snapshot(d1, "a") == a1 and
            snapshot(d0, "b") == b0 and up(d1, "b"), 2)
        t.ok(ok, "broken file: both SAs still up on both sides, same SPIs", logs())

        # (b) b removed: its SAs deleted on both sides, a untouched
        b_spis = {k for s in b0 for c in s[3] for k in c[:2]}
        with open(d0.conf, "w") as f:
            f.write(conf(0, ["a"]))
        j = d0.ctl_json("reload")
        t.ok(j.get("ok") and j["result"].get("removed") == ["b"], "b removed: reload ok", j)
        ok = wait_for(lambda: not d0.sas("b") and not d1.sas("b"), 10)
        t.ok(ok, "b removed: b's IKE SA gone on both sides (the peer was told)",
             str(d1.sas("b")) + logs())
        ok = wait_for(lambda: not (b_spis & kernel_spis(d0)) and not (b_spis & kernel_spis(d1)), 5)
        t.ok(ok, "b removed: b's kernel SAs gone on both sides", str(d1.kernel()))
        t.ok(snapshot(d0, "a") == a0 and snapshot(d1, "a") == a1,
             "b removed: a's IKE and CHILD SA keep their SPIs (not re-established)",
             str(a0) + str(snapshot(d0, "a")))

        # (c) a changed: another ESP proposal
        with open(d0.conf, "w") as f:
            f.write(conf(0, ["a"], {"a": ["chacha20poly1305"]}))
        j = d0.ctl_json("reload")
        t.ok(j.get("ok") and j["result"].get("changed") == ["a"], "a changed: reload ok", j)
        ok = wait_for(lambda: snapshot(d0, "a") == a0 and snapshot(d1, "a") == a1, 2)
        t.ok(ok, "a changed: the existing SA keeps its SPIs on both sides",
             str(snapshot(d0, "a")) + logs())
        rc, out, err = d0.ctl("initiate", "a")
        ok = wait_for(lambda: up(d0, "a", 2) and up(d1, "a", 2), 10)
        t.ok(rc == 0 and ok, "a changed: initiate brings a second SA up on both sides",
             err + logs())
        new = [s for s in snapshot(d0, "a") if s not in a0]
        kids = new[0][3] if new else ()
        t.ok(kids and "chacha" in (kids[0][2] or ""),
             "a changed: the new CHILD SA uses the new proposal", snapshot(d0, "a"))
        t.ok(all(s in snapshot(d0, "a") for s in a0) and all(s in snapshot(d1, "a") for s in a1),
             "a changed: the old SA is still up on both sides", logs())

        # (d) c added
        with open(d0.conf, "w") as f:
            f.write(conf(0, ["a", "c"], {"a": ["chacha20poly1305"]}))
        j = d0.ctl_json("reload")
        t.ok(j.get("ok") and j["result"].get("added") == ["c"], "c added: reload ok", j)
        rc, out, err = d0.ctl("initiate", "c")
        ok = wait_for(lambda: up(d0, "c") and up(d1, "c"), 10)
        t.ok(rc == 0 and ok and up(d0, "a", 2), "c added: c comes up; a's SAs untouched",
             err + logs())

        # (e) counters
        s0 = d0.ctl_json("stats").get("result", {})
        s1 = d1.ctl_json("stats").get("result", {})
        ex0, ini0 = s0.get("exchanges", {}), s0.get("exchanges_initiated", {})
        t.ok(ex0.get("ike_sa_init", 0) >= 4 and ini0.get("ike_auth", 0) >= 4 and
             ini0.get("informational", 0) >= 1 and
             s1.get("exchanges_responded", {}).get("ike_auth", 0) >= 4 and
             s1.get("exchanges_responded", {}).get("informational", 0) >= 1,
             "stats --json: exchanges counted by type and role", str(s0) + "\n" + str(s1))
        rc, out, err = d0.ctl("stats")
        t.ok(rc == 0 and "exchanges initiated" in out and "retransmits" in out,
             "stats (human) shows the engine's counters", out + err)
        rcs = [x.stop() for x in (d0, d1)]
        t.ok(rcs == [0, 0], "both ospreyd exit 0 on SIGTERM", rcs)
    except Exception as e:
        t.ok(False, "aborted: %r" % e, logs())
        t.skip_rest("aborted")
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
