#!/usr/bin/python3
"""ospreyd against ospreyd (kernel-dryrun) rekeying: `ospreyctl rekey --child`
and `ospreyctl rekey` from either side.  A CHILD SA rekey gets new SPIs on
both sides, the dryrun records show the new SAs added before the old ones
are deleted, and the keys still agree; an IKE SA rekey gives a new unique
id and new IKE SPIs while the CHILD SAs stay untouched.  Last, a CHILD SA
with a short rekey_time is rekeyed by its timer."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netns import Net, Ospreyd, Tap, can_netns, established, skip_all, wait_for  # noqa

PSK = "osprey-rekey-psk-not-secret"
ADDRS = ("192.0.2.1", "192.0.2.2")
TS = ("198.51.100.0/24", "203.0.113.0/24")
TS2 = ("198.51.101.0/24", "203.0.114.0/24")


def conf(me):
    other = 1 - me
    return """kernel = { backend = "dryrun"; record_keys = true; };
logging = { default = "info"; };
connections = {
  rk = {
    local_addrs = "%s"; remote_addrs = "%s"; proposals = "aes256gcm16-prfsha384-x25519";
    local = { auth = "psk"; id = "node%d.example"; };
    remote = { auth = "psk"; id = "node%d.example"; };
    children = { net = { local_ts = "%s"; remote_ts = "%s";
                         esp_proposals = "aes128gcm16-x25519"; }; };
  };
  timed = {
    local_addrs = "%s"; remote_addrs = "%s"; proposals = "aes128gcm16-prfsha256-x25519";
    local = { auth = "psk"; id = "node%d-t.example"; };
    remote = { auth = "psk"; id = "node%d-t.example"; };
    children = { net = { local_ts = "%s"; remote_ts = "%s";
                         rekey_time = "6s"; life_time = "%s"; }; };
  };
};
secrets = {
  ike = { id = [ "node0.example", "node1.example", "node0-t.example", "node1-t.example" ];
          secret = "%s"; };
};
""" % (ADDRS[me], ADDRS[other], me, other, TS[me], TS[other],
       ADDRS[me], ADDRS[other], me, other, TS2[me], TS2[other],
       "7s" if me == 0 else "60s", PSK)


def the_sa(d, conn):
    e = established(d.sas(conn), conn)
    return e[0] if len(e) == 1 else None


def child(d, conn):
    sa = the_sa(d, conn)
    if not sa or len(sa["child_sas"]) != 1 or sa["child_sas"][0]["state"] != "INSTALLED":
        return None
    return sa["child_sas"][0]


def settled(a, b, conn):
    """One IKE SA each, nothing being deleted, one CHILD SA pair."""
    ca, cb = child(a, conn), child(b, conn)
    return (ca and cb and len(a.sas(conn)) == 1 and len(b.sas(conn)) == 1 and
            ca["spi_in"] == cb["spi_out"] and ca["spi_out"] == cb["spi_in"])


def kernel_spis(d):
    return sorted((s["spi"], s["dir"]) for s in d.kernel().get("sas", []))


def nothing_left_over(d):
    """One outbound SA per conn, the current inbound ones, at most one old
    (lingering) inbound SA per conn."""
    sas = d.kernel().get("sas", [])
    current = [spi_hex(c["spi_in"]) for c in (child(d, "rk"), child(d, "timed")) if c]
    ins = [spi_hex(s["spi"]) for s in sas if s["dir"] == "in"]
    return (len(current) == 2 and all(spi in ins for spi in current) and
            len([s for s in sas if s["dir"] == "out"]) == 2 and len(ins) <= 4)


def keys_agree(a, b):
    ka, kb = a.kernel().get("sas", []), b.kernel().get("sas", [])
    for sa in ka:
        twin = [s for s in kb if s["spi"] == sa["spi"] and s["dir"] != sa["dir"]]
        if len(twin) != 1 or twin[0]["enc_key"] != sa["enc_key"] or not sa["enc_key"]:
            return False
    return len(ka) == len(kb) and len(ka) > 0


def spi_hex(v):
    return v.lower().replace("0x", "").zfill(8) if isinstance(v, str) else "%08x" % v


def made_before_broken(log, old, new):
    """In the dryrun log: 'add SA <dir> new' comes before 'delete SA <dir> old'
    for both directions."""
    def pos(pat):
        m = re.search(pat, log)
        return m.start() if m else None
    for d, o, n in (("in", old["spi_in"], new["spi_in"]), ("out", old["spi_out"], new["spi_out"])):
        add = pos(r"kernel-dryrun: add SA %s %s" % (d, spi_hex(n)))
        dele = pos(r"kernel-dryrun: delete SA %s %s" % (d, spi_hex(o)))
        if add is None or dele is None or add > dele:
            return False
    return True


def main():
    why = can_netns()
    if why:
        skip_all(why)
    t = Tap(4 * 4 + 2 + 3 + 1)
    net = Net("rk", [ADDRS[0]], [ADDRS[1]])
    d = [Ospreyd(net.ns[0], conf(0), "a"), Ospreyd(net.ns[1], conf(1), "b")]
    try:
        rc, out, err = d[0].ctl("initiate", "rk")
        ok = wait_for(lambda: settled(d[0], d[1], "rk"), 10)
        t.ok(rc == 0 and ok, "rk up on both", err + d[0].output()[-2000:])
        sa, ch = the_sa(d[0], "rk") or {}, child(d[0], "rk") or {}
        t.ok(sa.get("rekey_in", -1) > 0 and sa.get("expire_in", -1) > sa.get("rekey_in", 0) and
             ch.get("rekey_in", -1) > 0 and ch.get("expire_in", -1) > ch.get("rekey_in", 0),
             "list-sas shows time to rekey and to expiry for the IKE and the CHILD SA", sa)
        for ini, what in ((0, "child"), (1, "child"), (0, "ike"), (1, "ike")):
            a, b = d[ini], d[1 - ini]
            who = "node%d rekeys the %s SA" % (ini, "CHILD" if what == "child" else "IKE")
            old_sa, old_a, old_b = the_sa(a, "rk"), child(a, "rk"), child(b, "rk")
            old_sa_b = the_sa(b, "rk")
            kern = (kernel_spis(a), kernel_spis(b))
            mark_a, mark_b = len(a.output()), len(b.output())
            args = ("rekey", "--child", "rk") if what == "child" else ("rekey", "rk")
            if ini == 1 and what == "ike":
                j = a.ctl_json("rekey", "--ike-sa", str(old_sa["unique_id"]))
                t.ok(j.get("ok") and j["result"].get("ike_sas") == [old_sa["unique_id"]],
                     "%s: ospreyctl --json rekey --ike-sa ID answers with the IKE SA" % who, j)
            else:
                rc, out, err = a.ctl(*args)
                t.ok(rc == 0 and "rk" not in err, "%s: ospreyctl rekey succeeds" % who,
                     out + err)
            if what == "child":
                ok = wait_for(lambda: settled(a, b, "rk") and
                              child(a, "rk")["spi_in"] != old_a["spi_in"] and
                              len(a.kernel().get("sas", [])) == 2 and
                              len(b.kernel().get("sas", [])) == 2, 10)
                new_a, new_b = child(a, "rk") or {}, child(b, "rk") or {}
                t.ok(ok and new_a.get("spi_out") != old_a["spi_out"],
                     "%s: new SPIs on both sides, the old SAs gone" % who,
                     str(a.sas("rk")) + str(b.kernel()) + a.output()[-3000:])
                t.ok(made_before_broken(a.output()[mark_a:], old_a, new_a) and
                     made_before_broken(b.output()[mark_b:], old_b, new_b),
                     "%s: dryrun: new SAs added before the old ones are deleted" % who,
                     a.output()[mark_a:] + b.output()[mark_b:])
                t.ok(keys_agree(a, b), "%s: the keys agree" % who,
                     str(a.kernel()) + str(b.kernel()))
            else:
                ok = wait_for(lambda: settled(a, b, "rk") and
                              the_sa(a, "rk")["unique_id"] != old_sa["unique_id"] and
                              the_sa(b, "rk")["unique_id"] != old_sa_b["unique_id"], 10)
                new_sa = the_sa(a, "rk") or {}
                t.ok(ok and new_sa.get("spi_i") != old_sa["spi_i"] and
                     new_sa.get("spi_r") != old_sa["spi_r"] and
                     new_sa.get("role") == "initiator",
                     "%s: new unique id %s (was %s), new SPIs, the old IKE SA gone; the "
                     "rekeying side is the new initiator" % (who, new_sa.get("unique_id"),
                                                            old_sa["unique_id"]),
                     str(a.sas("rk")) + str(b.sas("rk")) + a.output()[-3000:])
                t.ok((child(a, "rk") or {}).get("spi_in") == old_a["spi_in"] and
                     (kernel_spis(a), kernel_spis(b)) == kern,
                     "%s: the CHILD SA moved to the new IKE SA untouched" % who,
                     str(a.sas("rk")) + str(a.kernel()))
                t.ok(re.search(r"rekeyed: %d replaces %d" % (new_sa.get("unique_id", -1),
                                                              old_sa["unique_id"]),
                               a.output()[mark_a:]) is not None,
                     "%s: the log names the old and the new unique id" % who,
                     a.output()[mark_a:])
        # A CHILD SA rekeyed by its timer (rekey_time 6s minus up to 1s on node0).
        rc, out, err = d[1].ctl("initiate", "timed")
        ok = wait_for(lambda: settled(d[0], d[1], "timed"), 10)
        t.ok(rc == 0 and ok, "timed up on both", err)
        first = child(d[0], "timed") or {}
        ok = wait_for(lambda: settled(d[0], d[1], "timed") and
                      child(d[0], "timed")["spi_in"] != first.get("spi_in"), 12)
        t.ok(ok, "timed: the CHILD SA is rekeyed by its rekey_time",
             str(d[0].sas("timed")) + d[0].output()[-3000:])
        # Both conns' SA pairs; besides them only the old inbound SA of the
        # last rekey, which stays 5 s (the engine's delete_rekeyed_delay_ms,
        # lib/ikev2/linger.c): "timed" is rekeyed every few seconds.
        ok = wait_for(lambda: nothing_left_over(d[0]), 10, 0.05)
        t.ok(re.search(r"rekey time reached", d[0].output() + d[1].output()) is not None and ok,
             "timed: the log says why; both conns' SAs in the kernel, nothing left over",
             str(d[0].kernel()))
        rcs = [x.stop() for x in d]
        t.ok(rcs == [0, 0], "both ospreyd exit 0 on SIGTERM", rcs)
    except Exception as e:
        t.ok(False, "aborted: %r" % e, d[0].output()[-2000:] + d[1].output()[-2000:])
        t.skip_rest("aborted")
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
