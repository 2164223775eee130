#!/usr/bin/python3
"""kernel-xfrm's virtual IPs (kernel_ops.add_vip / del_vip) on this host:
inside a network namespace with a veth pair, xfrm_vip_probe adds 10.3.0.1
and 2001:db8:3::1 as host addresses on the veth (named) and 10.3.0.2 on the
default route's interface (none named), marked as osprey's (IFA_RT_PRIORITY
0x6f5650, label VETH:osp); del removes one; close removes the rest; an
address the administrator put there is refused ("not osprey's") and never
removed; after a "crash" (exit without close) the next start-up removes the
marked addresses and only those.  Root only (SKIP otherwise)."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop"))
from netns import Net, Tap, can_netns, run, skip_all  # noqa: E402

MARK = 0x6f5650


class Probe:
    def __init__(self, ns, exe):
        self.p = subprocess.Popen(["ip", "netns", "exec", ns, exe], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.first = self.p.stdout.readline().strip()

    def do(self, line):
        self.p.stdin.write(line + "\n")
        self.p.stdin.flush()
        if line in ("crash", "close"):
            out, err = self.p.communicate(timeout=10)
            return (out + err).strip()
        return self.p.stdout.readline().strip()


def addrs(ns, dev):
    return run("ip", "-n", ns, "-d", "addr", "show", "dev", dev).stdout


def main():
    why = can_netns()
    if why:
        skip_all(why)
    exe = os.path.join(os.environ.get("top_builddir", "."), "testsuite", "kernel",
                       "xfrm_vip_probe")
    if not os.access(exe, os.X_OK):
        skip_all("no " + exe)
    t = Tap(13)
    net = Net("xv", ["192.0.2.1", "2001:db8:1::1"], ["192.0.2.2", "2001:db8:1::2"], ipv6=True)
    ns, dev = net.ns[0], net.veth[0]
    run("ip", "-n", ns, "route", "add", "default", "via", "192.0.2.2")
    run("ip", "-n", ns, "addr", "add", "10.3.0.9/32", "dev", dev)   # the administrator's
    p = Probe(ns, exe)
    t.ok(p.first == "ready", "kernel-xfrm opens in the namespace", p.first)
    r = [p.do("add 10.3.0.1 " + dev), p.do("add 2001:db8:3::1 " + dev), p.do("add 10.3.0.2 -")]
    a = addrs(ns, dev)
    t.ok(r == ["ok"] * 3, "add_vip: IPv4 and IPv6 on the named interface, IPv4 on the default "
         "route's", r)
    t.ok("inet 10.3.0.1/32" in a and "inet 10.3.0.2/32" in a and
         "inet6 2001:db8:3::1/128" in a, "the addresses are host addresses on the veth", a)
    t.ok(("%s:osp" % dev)[:15] in a or len(dev) > 11, "IPv4 carries the label VETH:osp", a)
    shown = run("ip", "-n", ns, "-j", "addr", "show", "dev", dev).stdout
    t.ok(a.count("metric %d" % MARK) >= 3 or shown.count('"metric":%d' % MARK) >= 3,
         "each carries osprey's mark (IFA_RT_PRIORITY 0x6f5650)", a + shown)
    r = p.do("add 10.3.0.9 " + dev)
    t.ok(r.startswith("error:") and "not osprey's" in r,
         "an address already there is refused, named as not osprey's", r)
    r = p.do("del 10.3.0.9")
    t.ok(r.startswith("error:") and "10.3.0.9/32" in addrs(ns, dev),
         "del_vip of an address osprey did not add leaves it", r)
    r = p.do("del 10.3.0.1")
    a = addrs(ns, dev)
    t.ok(r == "ok" and "10.3.0.1/" not in a and "10.3.0.2/32" in a,
         "del_vip removes that address only", r + "\n" + a)
    r = p.do("close")
    a = addrs(ns, dev)
    t.ok("closed" in r and "10.3.0.2/" not in a and "2001:db8:3::1" not in a and
         "10.3.0.9/32" in a and "192.0.2.1/24" in a,
         "close removes the rest; the administrator's addresses stay", r + "\n" + a)
    # A crash leaves the addresses; the next start-up removes them.
    p = Probe(ns, exe)
    r = [p.do("add 10.3.0.5 " + dev), p.do("add 2001:db8:3::5 " + dev), p.do("crash")]
    a = addrs(ns, dev)
    t.ok(r[:2] == ["ok", "ok"] and "10.3.0.5/32" in a and "2001:db8:3::5/128" in a,
         "after a crash the addresses are still there", str(r) + "\n" + a)
    p = Probe(ns, exe)
    a = addrs(ns, dev)
    t.ok(p.first == "ready" and "10.3.0.5/" not in a and "2001:db8:3::5" not in a,
         "start-up removes the addresses an earlier run left", p.first + "\n" + a)
    t.ok("10.3.0.9/32" in a and "192.0.2.1/24" in a and "2001:db8:1::1/64" in a,
         "start-up leaves every other address alone", a)
    r = p.do("close")
    t.ok("closed" in r, "the second run closes cleanly", r)
    sys.exit(1 if t.failed else 0)


if __name__ == "__main__":
    main()
