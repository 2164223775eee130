#!/usr/bin/python3
"""kernel-xfrm driven directly (testsuite/kernel/xfrm_plugin_drive, no
ospreyd) in a network namespace of this host (XFRM netlink, no ESP):
marks and interface ids on policies, two policies with the same selectors
and different marks, trap policies and the CHILD SA that shares one, the
ACQUIRE a trap makes (engine reqid, the packet's selector), sa_stats of a
missing SA, the start-up flush of osprey's marked state next to a foreign
marked policy, and that closing leaves nothing of osprey's (the ACQUIRE's
larval state included).
Root only (SKIP otherwise)."""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop"))
from netns import Net, Tap, can_netns, run, skip_all  # noqa: E402

REQID_BASE = 0x6f000000
GW = ("192.0.2.1", "192.0.2.2")
NETS = ("10.1.0.0/24", "10.2.0.0/24")
FOREIGN = ("198.18.1.0/24", "198.18.2.0/24")   # an administrator's marked policy
STALE = ("198.18.3.0/24", "198.18.4.0/24")     # a crashed ospreyd's marked policy


class Drive:
    """The plugin in namespace ns, one command per line (see the driver)."""

    def __init__(self, ns, binary):
        self.p = subprocess.Popen(["ip", "netns", "exec", ns, binary], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.first = self.p.stdout.readline().strip()

    def ask(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        return self.p.stdout.readline().strip()

    def close(self):
        out, err = self.p.communicate("quit\n", timeout=20)
        return out, err


def policy(verb, d, reqid, extra=""):
    """policy add|del out|in for the subnets, with the gateways as endpoints."""
    s, t = (0, 1) if d == "out" else (1, 0)
    return "policy %s dir=%s ts_src=%s ts_dst=%s src=%s dst=%s reqid=%d %s" % (
        verb, d, NETS[s], NETS[t], GW[s], GW[t], reqid, extra)


def kernel_policies(ns):
    """[{src, dst, dir, mark, if_id, reqids}] from `ip xfrm policy`."""
    out, cur = [], None
    for line in run("ip", "-n", ns, "xfrm", "policy").stdout.splitlines():
        m = re.match(r"src (\S+) dst (\S+)", line)
        if m:
            cur = {"src": m.group(1), "dst": m.group(2), "dir": None, "mark": None,
                   "if_id": None, "reqids": []}
            out.append(cur)
            continue
        if cur is None:
            continue
        m = re.search(r"dir (\w+)", line)
        if m:
            cur["dir"] = m.group(1)
        m = re.search(r"mark (\S+)", line)
        if m:
            cur["mark"] = m.group(1)
        m = re.search(r"if_id (\S+)", line)
        if m:
            cur["if_id"] = int(m.group(1), 0)
        m = re.search(r"reqid (\d+)", line)
        if m:
            cur["reqids"].append(int(m.group(1)))
    return out


def ours(p):
    return any(REQID_BASE <= r <= REQID_BASE + 0xffffff for r in p["reqids"])


def main():
    why = can_netns()
    if why:
        skip_all(why)
    binary = os.path.abspath(os.path.join(os.environ.get("top_builddir", "."), "testsuite",
                                          "kernel", "xfrm_plugin_drive"))
    if not os.access(binary, os.X_OK):
        skip_all("no " + binary)
    t = Tap(17)
    net = Net("xd", [GW[0], "10.1.0.1"], [GW[1]])
    ns = net.ns[0]
    run("ip", "-n", ns, "route", "add", "10.2.0.0/24", "dev", net.veth[0])
    tmpl = ["tmpl", "src", GW[0], "dst", GW[1], "proto", "esp", "mode", "tunnel", "reqid"]
    run("ip", "-n", ns, "xfrm", "policy", "add", "src", FOREIGN[0], "dst", FOREIGN[1], "dir",
        "out", "mark", "7", *tmpl, "5")
    run("ip", "-n", ns, "xfrm", "policy", "add", "src", STALE[0], "dst", STALE[1], "dir", "out",
        "mark", "7", "if_id", "9", *tmpl, str(REQID_BASE + 7))
    d = Drive(ns, binary)
    pols = kernel_policies(ns)
    t.ok(d.first == "ok open" and not any(p["src"] == STALE[0] for p in pols),
         "start-up removes osprey's stale policy with mark and if_id", (d.first, pols))
    t.ok(any(p["src"] == FOREIGN[0] and p["mark"] == "0x7/0xffffffff" for p in pols),
         "a foreign policy with a mark survives the start-up", pols)

    # Marks and interface ids; same selectors, different marks: two policies.
    r1 = d.ask(policy("add", "out", 42, "mark=0x2a/0xff if_id=7"))
    r2 = d.ask(policy("add", "out", 43, "mark=0x2b"))
    r3 = d.ask(policy("add", "in", 42, "mark=0x2a/0xff if_id=7"))
    mine = [p for p in kernel_policies(ns) if ours(p)]
    m42 = [p for p in mine if p["reqids"] == [REQID_BASE + 42]]
    t.ok([r1, r2, r3] == ["ok"] * 3 and sorted(p["dir"] for p in m42) == ["fwd", "in", "out"] and
         all(p["mark"] == "0x2a/0xff" and p["if_id"] == 7 for p in m42),
         "policies out/in/fwd carry the mark 0x2a/0xff and if_id 7", ([r1, r2, r3], mine))
    outs = [p for p in mine if p["dir"] == "out" and p["src"] == NETS[0]]
    t.ok(len(outs) == 2 and {p["mark"] for p in outs} == {"0x2a/0xff", "0x2b/0xffffffff"},
         "two out policies with the same selectors and different marks coexist", mine)
    lk = json.loads(d.ask("list")[3:])
    t.ok(any(p.get("mark") == "0x2a/0xff" and p.get("if_id") == 7 for p in lk["policies"]) and
         any(p.get("mark") == "0x2b/0xffffffff" for p in lk["policies"]),
         "list-kernel shows mark and if_id", lk)
    r1 = d.ask(policy("del", "out", 42, "mark=0x2a/0xff if_id=7"))
    r3 = d.ask(policy("del", "in", 42, "mark=0x2a/0xff if_id=7"))
    mine = [p for p in kernel_policies(ns) if ours(p)]
    t.ok([r1, r3] == ["ok", "ok"] and len(mine) == 1 and mine[0]["mark"] == "0x2b/0xffffffff",
         "deleting the marked policies (same mark and if_id) removes exactly them, in/fwd too",
         ([r1, r3], mine))
    d.ask(policy("del", "out", 43, "mark=0x2b"))

    # A trap, the CHILD SA its ACQUIRE makes (same reqid and selectors).
    r1 = d.ask(policy("add", "out", 44, "trap=1"))
    r2 = d.ask("udp src=10.1.0.1 dst=10.2.0.5 port=9")
    acq = d.ask("acquire ms=5000")
    t.ok(r1 == "ok" and r2 == "ok" and
         re.match(r"ok acquire reqid 44 10\.1\.0\.1\.\.10\.1\.0\.1\[17/\d+-\d+\] -> "
                  r"10\.2\.0\.5\.\.10\.2\.0\.5\[17/9-9\] sa 192\.0\.2\.1 -> 192\.0\.2\.2$",
                  acq) is not None,
         "a trap policy makes the kernel send ACQUIRE: engine reqid 44, the packet's selector, "
         "the trap's endpoints", (r1, r2, acq))
    t.ok("proto esp spi 0x00000000 reqid %d " % (REQID_BASE + 44) in
         run("ip", "-n", ns, "xfrm", "state").stdout,
         "the ACQUIRE left a larval state (spi 0) of the trap's reqid",
         run("ip", "-n", ns, "xfrm", "state").stdout)
    r2 = d.ask(policy("add", "out", 44))
    mine = [p for p in kernel_policies(ns) if ours(p)]
    lk = json.loads(d.ask("list")[3:])
    lp = [p for p in lk["policies"] if p["dir"] == "out"]
    t.ok(r2 == "ok" and len(mine) == 1 and len(lp) == 1 and lp[0]["children"] == 1 and
         lp[0]["traps"] == 1 and lp[0]["trap"] is False,
         "the CHILD SA shares the trap's policy (one kernel policy, owners: 1 trap + 1 CHILD SA)",
         (r2, mine, lp))
    r2 = d.ask(policy("del", "out", 44))
    mine = [p for p in kernel_policies(ns) if ours(p)]
    lk = json.loads(d.ask("list")[3:])
    t.ok(r2 == "ok" and len(mine) == 1 and mine[0]["reqids"] == [REQID_BASE + 44] and
         len(lk["policies"]) == 1 and lk["policies"][0]["trap"] is True,
         "the CHILD SA's delete leaves the trap", (r2, mine, lk["policies"]))
    # The kernel sends no second ACQUIRE while the first one's larval
    # state is pending; the test namespace's SAD is ours to flush.
    run("ip", "-n", ns, "xfrm", "state", "flush")
    r2 = d.ask("udp src=10.1.0.1 dst=10.2.0.6 port=9")
    acq = d.ask("acquire ms=5000")
    t.ok(acq.startswith("ok acquire reqid 44 10.1.0.1..10.1.0.1") and
         "10.2.0.6..10.2.0.6" in acq, "the trap still makes ACQUIREs after the CHILD SA went",
         acq)
    r1 = d.ask(policy("del", "out", 44, "trap=1"))
    t.ok(r1 == "ok" and not [p for p in kernel_policies(ns) if ours(p)],
         "deleting the trap removes the policy", (r1, kernel_policies(ns)))

    # A trap added under a CHILD SA's policy (another reqid) waits under it.
    r2 = d.ask(policy("add", "out", 47))
    r1 = d.ask(policy("add", "out", 48, "trap=1"))
    under = [p["reqids"] for p in kernel_policies(ns) if ours(p)]
    r3 = d.ask(policy("del", "out", 47))
    back = [p["reqids"] for p in kernel_policies(ns) if ours(p)]
    d.ask(policy("del", "out", 48, "trap=1"))
    t.ok([r2, r1, r3] == ["ok"] * 3 and under == [[REQID_BASE + 47]] and
         back == [[REQID_BASE + 48]],
         "a trap added under a CHILD SA's policy leaves it the CHILD SA's until that goes",
         ([r2, r1, r3], under, back))

    # Counters of an SA that is not there: a clear error.
    st = d.ask("stats spi=c0001234 dst=192.0.2.1 mark=0x2a")
    t.ok(re.match(r"error: read counters \(no such SA in the kernel\) of SA out esp spi c0001234 "
                  r".*-> 192\.0\.2\.1 .*mark 0x2a/0xffffffff: No such process \(ESRCH\)",
                  st) is not None, "sa_stats of a missing SA: no such SA, ESRCH", st)

    # Close: osprey's state goes, the larval ACQUIRE states included.
    # (A policy with an if_id only sees packets of its xfrm interface,
    # which this host's kernel does not have: that one just has to go.)
    r1 = d.ask(policy("add", "out", 45, "trap=1 mark=0x5"))
    r3 = d.ask(policy("add", "out", 46, "trap=1 mark=0x6 if_id=3"))
    d.ask("udp src=10.1.0.1 dst=10.2.0.7 port=9 mark=5")
    acq = d.ask("acquire ms=5000")
    t.ok(r1 == r3 == "ok" and acq.startswith("ok acquire reqid 45 10.1.0.1..10.1.0.1"),
         "a marked trap makes ACQUIRE for packets with its mark", (r1, r3, acq))
    out, err = d.close()
    states = run("ip", "-n", ns, "xfrm", "state").stdout
    t.ok(out.strip().endswith("ok closed") and
         not [p for p in kernel_policies(ns) if ours(p)] and
         not [r for r in re.findall(r"reqid (\d+)", states)
              if REQID_BASE <= int(r) <= REQID_BASE + 0xffffff] and
         re.search(r"removed \d+ osprey SAs?, [1-9]\d* acquire states?", err) is not None,
         "closing leaves no osprey policy or SA, larval ACQUIRE states removed",
         out + err + states)
    t.ok(any(p["src"] == FOREIGN[0] for p in kernel_policies(ns)),
         "the foreign marked policy survives the close", kernel_policies(ns))
    sys.exit(1 if t.failed else 0)


if __name__ == "__main__":
    main()
