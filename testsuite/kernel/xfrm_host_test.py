#!/usr/bin/python3
"""kernel-xfrm on this host (XFRM netlink, no ESP): two ospreyd with
backend "xfrm" in two network namespaces, their child with start_action
"trap".  The trap policies (in, out, fwd) are installed at start with a
reqid in osprey's range and a priority by selector specificity; adding the
ESP SAs fails with EPROTONOSUPPORT, the log names the SA, and the engine
deletes the half-made CHILD SA (the IKE SA stays, the trap stays);
ALLOCSPI works; a foreign
policy added with `ip xfrm policy` before ospreyd starts survives start and
stop, while a stale osprey policy and SPI are removed at start.  Routes to
the remote subnet go to table 220 (the default, xa) or the configured
kernel.route_table (xb: 1000, above the 8-bit table field), looked up by the
rule of priority 111.
Root only (SKIP otherwise)."""
import json
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop"))
from netns import Net, Ospreyd, Tap, can_netns, run, skip_all, wait_for  # noqa: E402

PSK = "osprey-xfrm-host-psk-not-secret"
ADDR = ("192.0.2.1", "192.0.2.2")
NETS = ("10.1.0.0/24", "10.2.0.0/24")
REQID_BASE = 0x6f000000
REQID_MAX = REQID_BASE + 0xffffff
FOREIGN = ("198.18.1.0/24", "198.18.2.0/24")   # the administrator's policy
STALE = ("198.18.3.0/24", "198.18.4.0/24")     # left behind by a crashed ospreyd
TABLES = ("220", "1000")   # xa: the default route table, xb: kernel.route_table


def conf(me):
    o = 1 - me
    table = "" if me == 0 else " route_table = %s;" % TABLES[1]
    return """kernel = { backend = "xfrm";%s };
logging = { default = "info"; kernel = "debug"; };
connections = {
  net = {
    local_addrs = "%s"; remote_addrs = "%s"; proposals = "aes128gcm16-prfsha256-x25519";
    local = { auth = "psk"; id = "gw%d.example"; };
    remote = { auth = "psk"; id = "gw%d.example"; };
    children = { net = { local_ts = "%s"; remote_ts = "%s"; esp_proposals = "aes256-sha256";
      start_action = "trap"; }; };
  };
};
secrets = { ike-net = { id = [ "gw0.example", "gw1.example" ]; secret = "%s"; }; };
""" % (table, ADDR[me], ADDR[o], me, o, NETS[me], NETS[o], PSK)


def xfrm(ns, what):
    return run("ip", "-n", ns, "xfrm", what, check=False).stdout


def policies(ns):
    """[(src, dst, dir, priority, [reqids])] from `ip xfrm policy`."""
    out, cur = [], None
    for line in xfrm(ns, "policy").splitlines():
        m = re.match(r"src (\S+) dst (\S+)", line)
        if m:
            cur = [m.group(1), m.group(2), None, None, []]
            out.append(cur)
            continue
        m = re.search(r"dir (\w+) priority (\d+)", line)
        if m and cur:
            cur[2], cur[3] = m.group(1), int(m.group(2))
        m = re.search(r"reqid (\d+)", line)
        if m and cur:
            cur[4].append(int(m.group(1)))
    return out


def ours(p):
    return any(REQID_BASE <= r <= REQID_MAX for r in p[4])


def osprey_states(ns):
    return [int(r) for r in re.findall(r"reqid (\d+)", xfrm(ns, "state"))
            if REQID_BASE <= int(r) <= REQID_MAX]


def main():
    why = can_netns()
    if why:
        skip_all(why)
    t = Tap(20)
    net = Net("xh", [ADDR[0]], [ADDR[1]])
    ns = net.ns
    # Before ospreyd: a foreign policy, a stale osprey policy and SPI.
    run("ip", "-n", ns[0], "xfrm", "policy", "add", "src", FOREIGN[0], "dst", FOREIGN[1], "dir",
        "out", "priority", "1000", "tmpl", "src", ADDR[0], "dst", ADDR[1], "proto", "esp",
        "reqid", "5", "mode", "tunnel")
    run("ip", "-n", ns[0], "xfrm", "policy", "add", "src", STALE[0], "dst", STALE[1], "dir",
        "out", "priority", "1000", "tmpl", "src", ADDR[0], "dst", ADDR[1], "proto", "esp",
        "reqid", str(REQID_BASE + 7), "mode", "tunnel")
    run("ip", "-n", ns[0], "xfrm", "state", "allocspi", "src", ADDR[1], "dst", ADDR[0], "proto",
        "esp", "min", "0xc0000000", "max", "0xcfffffff", "reqid", str(REQID_BASE), "mode",
        "tunnel")
    d = [Ospreyd(ns[0], conf(0), "xa"), Ospreyd(ns[1], conf(1), "xb")]
    a, b = d
    t.ok(wait_for(lambda: "kernel-xfrm: ready" in a.output(), 5) and
         "kernel-xfrm: ready" in b.output(), "kernel-xfrm opens on both sides",
         a.output() + b.output())
    pa = policies(ns[0])
    t.ok(any(p[0] == FOREIGN[0] for p in pa), "foreign policy survives ospreyd's start", pa)
    t.ok(not any(p[0] == STALE[0] for p in pa) and not osprey_states(ns[0]),
         "stale osprey policy and SPI removed at start", xfrm(ns[0], "policy") +
         xfrm(ns[0], "state") + a.output())

    def installed():
        return [p for p in policies(ns[0]) if ours(p)]
    wait_for(lambda: len(installed()) >= 3, 5)
    pa = installed()
    dirs = sorted(p[2] for p in pa)
    t.ok(dirs == ["fwd", "in", "out"], "trap policies out, in and fwd installed at start", pa)
    out_p = [p for p in pa if p[2] == "out"]
    in_p = [p for p in pa if p[2] == "in"]
    t.ok(out_p and out_p[0][0] == NETS[0] and out_p[0][1] == NETS[1] and in_p and
         in_p[0][0] == NETS[1] and in_p[0][1] == NETS[0], "selectors are the subnets", pa)
    trap_reqids = [p[4][0] for p in pa if p[4]]
    t.ok(all(p[3] == 200000 - (24 + 24) * 4 for p in pa),
         "priority by specificity (200000 - 4 * prefix bits)", pa)
    routes = [run("ip", "-n", ns[i], "route", "show", "table", TABLES[i]).stdout for i in (0, 1)]
    rules = [run("ip", "-n", ns[i], "rule").stdout for i in (0, 1)]
    t.ok(re.search(r"^10\.2\.0\.0/24 dev \S+ proto 111", routes[0], re.M) is not None and
         re.search(r"^111:\s+from all lookup 220 proto 111", rules[0], re.M) is not None and
         re.search(r"^10\.1\.0\.0/24 dev \S+ proto 111", routes[1], re.M) is not None and
         re.search(r"^111:\s+from all lookup 1000 proto 111", rules[1], re.M) is not None,
         "route to the remote subnet in table 220 (default) / 1000 (kernel.route_table), "
         "proto 111, rule priority 111 looks it up",
         "".join(routes + rules))
    rc, out, err = a.ctl("initiate", "net")
    sa_err = re.compile(r"add SA (in|out) esp spi [0-9a-f]{8} 192\.0\.2\.[12] -> 192\.0\.2\.[12] "
                        r"reqid (\d+): Protocol not supported \(EPROTONOSUPPORT\)")
    ok = wait_for(lambda: len(sa_err.findall(a.output())) >= 2 and
                  len(sa_err.findall(b.output())) >= 2, 10)
    t.ok(rc == 0 and ok, "ESP SA adds fail with EPROTONOSUPPORT, logged with the SA, both sides",
         err + a.output()[-3000:] + b.output()[-3000:])
    reqids = [int(m[1]) for m in sa_err.findall(a.output())]
    t.ok(reqids and all(REQID_BASE < r <= REQID_MAX for r in reqids),
         "SA reqids are in osprey's range", reqids)
    t.ok(re.search(r"kernel-xfrm: add SA in esp .*EPROTONOSUPPORT.*\(IKE SA \d+, CHILD SA \d+\)",
                   a.output()) is not None, "the error names the IKE SA and CHILD SA",
         a.output()[-2000:])
    t.ok(all(r in trap_reqids for r in reqids) and len(set(trap_reqids)) == 1,
         "the CHILD SA has the trap's reqid", (trap_reqids, reqids))
    refused = re.compile(r"the kernel refused CHILD_SA \{\d+\} .*EPROTONOSUPPORT.*deleting it")
    t.ok(wait_for(lambda: refused.search(a.output()) and refused.search(b.output()), 10),
         "the engine deletes the half-made CHILD SA on both sides",
         a.output()[-2000:] + b.output()[-2000:])

    def ike_up_no_child(x):
        sas = x.ctl_json("list-sas").get("result", {}).get("ike_sas", [])
        return len(sas) == 1 and sas[0].get("state") == "ESTABLISHED" and \
            not sas[0].get("children")
    t.ok(wait_for(lambda: ike_up_no_child(a) and ike_up_no_child(b), 10),
         "the IKE SA stays up on both sides, without the CHILD SA",
         json.dumps(a.ctl_json("list-sas")))
    t.ok(wait_for(lambda: sorted(p[2] for p in installed()) == ["fwd", "in", "out"] and
                  not osprey_states(ns[0]), 10),
         "no SA left, the trap's policies stay", xfrm(ns[0], "policy") + xfrm(ns[0], "state"))
    spis = [int(x, 16) for x in re.findall(r"kernel-xfrm: allocated SPI ([0-9a-f]{8})",
                                             a.output() + b.output())]
    t.ok(len(spis) >= 2 and len(set(spis)) == len(spis) and
         all(0xc0000000 <= v <= 0xcfffffff for v in spis),
         "SPIs come from the kernel (ALLOCSPI), distinct, in c0000000-cfffffff",
         [hex(v) for v in spis])
    k = a.ctl_json("list-kernel").get("result", {})
    t.ok(k.get("backend") == "xfrm" and len(k.get("policies", [])) >= 2 and
         k.get("errors", 0) >= 2, "list-kernel shows the backend, policies and error count",
         json.dumps(k))
    a.ctl("terminate", "net")
    t.ok(wait_for(lambda: not a.ctl_json("list-sas").get("result", {}).get("ike_sas") and
                  not b.ctl_json("list-sas").get("result", {}).get("ike_sas"), 10) and
         len(installed()) == 3,
         "terminate removes the IKE SA on both sides; the traps stay",
         xfrm(ns[0], "policy") + a.output()[-2000:])
    rcs = [x.stop() for x in d]
    t.ok(rcs == [0, 0] and not [p for p in policies(ns[0]) if ours(p)] and
         not [p for p in policies(ns[1]) if ours(p)] and not osprey_states(ns[0]) and
         not osprey_states(ns[1]), "stop exits 0 and leaves no osprey policy or SA",
         str(rcs) + xfrm(ns[0], "policy") + xfrm(ns[0], "state") + a.output()[-2000:])
    t.ok(any(p[0] == FOREIGN[0] for p in policies(ns[0])), "foreign policy survives the stop",
         xfrm(ns[0], "policy"))
    left = "".join(run("ip", "-n", ns[i], "route", "show", "table", TABLES[i]).stdout +
                   run("ip", "-n", ns[i], "rule").stdout for i in (0, 1))
    t.ok("proto 111" not in left and "lookup 220" not in left and "lookup 1000" not in left,
         "stop leaves no osprey route or rule", left)
    sys.exit(1 if t.failed else 0)


if __name__ == "__main__":
    main()
