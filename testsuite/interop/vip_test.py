#!/usr/bin/python3
"""Virtual IPs through two ospreyd with kernel-xfrm on this host (XFRM
netlink without ESP: the ESP SAs fail to install, which does not concern the
addresses): a road warrior asking for an IPv4 and an IPv6 address
(vips = ["0.0.0.0", "::"]) from a gateway with one IPv4 pool gets 10.3.0.1
only; the address goes onto the road warrior's veth (the interface of its
IKE address) with osprey's mark; both sides' list-sas show it (JSON and
human); terminate removes it and the gateway returns the lease; the same
identity gets its own address again after a reload that keeps the pool
(a second identity took 10.3.0.1 first, so it is 10.3.0.2: the lease, not
the order); SIGTERM removes the address; a new pool range makes the conn
"changed" on reload and new SAs lease from it; kernel.vip_interface puts the
address on the interface named.  Root only (SKIP otherwise)."""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netns import Net, Ospreyd, Tap, can_netns, run, skip_all, wait_for  # noqa: E402

PSK = "osprey-vip-host-test-psk-not-secret"
RW, GW = "192.0.2.1", "192.0.2.2"

RW_CONF = """kernel = { backend = "xfrm"; };
logging = { default = "info"; };
connections = {
  home = {
    local_addrs = "%s"; remote_addrs = "%s"; proposals = "aes128gcm16-prfsha256-x25519";
    vips = [ "0.0.0.0", "::" ];
    local = { auth = "psk"; id = "rw.example"; };
    remote = { auth = "psk"; id = "gw.example"; };
    children = { home = { remote_ts = "10.2.0.0/24"; esp_proposals = "aes128gcm16"; }; };
  };
  other = {
    local_addrs = "%s"; remote_addrs = "%s"; proposals = "aes128gcm16-prfsha256-x25519";
    vips = [ "0.0.0.0" ];
    local = { auth = "psk"; id = "rw2.example"; };
    remote = { auth = "psk"; id = "gw.example"; };
    children = { other = { remote_ts = "10.2.0.0/24"; esp_proposals = "aes128gcm16"; }; };
  };
};
secrets = { ike-x = { id = [ "rw.example", "rw2.example", "gw.example" ]; secret = "%s"; }; };
""" % (RW, GW, RW, GW, PSK)

GW_CONF = """kernel = { backend = "xfrm"; };
logging = { default = "info"; };
pools = { rw4 = { addrs = "10.3.0.0/28"; }; };
connections = {
  rw = {
    local_addrs = "%s"; proposals = "aes128gcm16-prfsha256-x25519";
    pools = [ "rw4" ];
    local = { auth = "psk"; id = "gw.example"; };
    remote = { auth = "psk"; };
    children = { rw = { local_ts = "10.2.0.0/24"; esp_proposals = "aes128gcm16"; }; };
  };
};
secrets = { ike-x = { id = [ "rw.example", "rw2.example", "gw.example" ]; secret = "%s"; }; };
""" % (GW, PSK)


def main():
    why = can_netns()
    if why:
        skip_all(why)
    t = Tap(16)
    net = Net("vp", [RW], [GW])
    ns, dev = net.ns, net.veth[0]
    rw = Ospreyd(ns[0], RW_CONF, "vip-rw")
    gw = Ospreyd(ns[1], GW_CONF, "vip-gw")

    def addrs():
        return run("ip", "-n", ns[0], "-d", "addr", "show", "dev", dev).stdout

    def vips(d):
        return [s.get("vips") for s in d.sas() if s["state"] == "ESTABLISHED"]

    rc, out, err = rw.ctl("initiate", "other")
    ok = wait_for(lambda: "10.3.0.1/32" in addrs(), 10)
    t.ok(rc == 0 and ok and "metric 7296592" in addrs(),
         "10.3.0.1/32 is on the road warrior's veth with osprey's mark",
         err + addrs() + rw.output()[-2000:])
    rc, out, err = rw.ctl("initiate", "home")
    ok = wait_for(lambda: "10.3.0.2/32" in addrs(), 10)
    t.ok(rc == 0 and ok, "a second identity gets 10.3.0.2", err + addrs())
    t.ok("inet6 2001" not in addrs() and "10.3.0.3" not in addrs(),
         "only the family the gateway has a pool for is assigned", addrs())
    t.ok(sorted(vips(rw)) == ["10.3.0.1", "10.3.0.2"] and
         sorted(vips(gw)) == ["10.3.0.1", "10.3.0.2"],
         "list-sas --json shows the VIPs on both sides", (vips(rw), vips(gw)))
    rc, out, err = rw.ctl("list-sas", "home")
    t.ok(rc == 0 and "vip 10.3.0.2" in out, "list-sas shows it in the table", out + err)
    t.ok("virtual IP 10.3.0.2 assigned to us" in rw.output() and
         "assigning virtual IP 10.3.0.2 from pool rw4" in gw.output(),
         "both sides log the address", rw.output()[-1500:] + gw.output()[-1500:])
    rc, out, err = rw.ctl("terminate", "home")
    rc2, out, err2 = rw.ctl("terminate", "other")
    ok = wait_for(lambda: "10.3.0." not in addrs(), 10)
    t.ok(rc == 0 and rc2 == 0 and ok, "terminate removes the addresses",
         err + err2 + addrs() + rw.output()[-1500:])
    t.ok(wait_for(lambda: "virtual IP 10.3.0.1 back to pool rw4" in gw.output() and
                  "virtual IP 10.3.0.2 back to pool rw4" in gw.output(), 10),
         "the gateway returns the leases to its pool", gw.output()[-1500:])
    # A reload of a changed conn that names the same pool keeps the pool
    # object and its offline leases.
    with open(gw.conf, "w") as f:
        f.write(GW_CONF.replace('esp_proposals = "aes128gcm16"',
                                'esp_proposals = [ "aes128gcm16", "aes256gcm16" ]'))
    rc, out, err = gw.ctl("reload")
    t.ok(rc == 0 and "changed" in out + err, "the gateway reloads a changed conn with the "
         "same pool", out + err)
    rc, out, err = rw.ctl("initiate", "home")
    ok = wait_for(lambda: "10.3.0.2/32" in addrs(), 10)
    t.ok(rc == 0 and ok and wait_for(lambda: vips(gw) == ["10.3.0.2"], 5),
         "rw.example, alone now, gets its own 10.3.0.2 again after the reload",
         addrs() + gw.output()[-1500:])
    t.ok("kernel-xfrm: virtual IP" in rw.output() and
         "not osprey's" not in rw.output(), "kernel-xfrm added them, no foreign address clash",
         rw.output()[-1500:])
    rc = rw.stop()
    time.sleep(0.2)
    t.ok(rc == 0 and "10.3.0." not in addrs(), "SIGTERM removes the address, exit 0",
         "rc %s\n" % rc + addrs())
    # A new range for the pool: the conn naming it is changed, and new SAs
    # lease from the new range.
    with open(gw.conf, "w") as f:
        f.write(GW_CONF.replace("10.3.0.0/28", "10.4.0.0/28"))
    changed = gw.ctl_json("reload").get("result", {}).get("changed")
    t.ok(changed == ["rw"], "a changed pool range makes the conn naming it changed",
         json.dumps(changed))
    # kernel.vip_interface: the address goes there instead.
    rw = Ospreyd(ns[0], RW_CONF.replace('backend = "xfrm";',
                                        'backend = "xfrm"; vip_interface = "lo";'), "vip-rw2")
    rc, out, err = rw.ctl("initiate", "home")
    lo = lambda: run("ip", "-n", ns[0], "addr", "show", "dev", "lo").stdout  # noqa: E731
    t.ok(rc == 0 and wait_for(lambda: "10.4.0.1/32" in lo(), 10) and "10.4.0." not in addrs(),
         "the new range's 10.4.0.1 goes on lo (kernel.vip_interface = \"lo\")",
         lo() + addrs() + rw.output()[-1500:] + gw.output()[-1500:])
    t.ok(rw.stop() == 0 and "10.4.0." not in lo(), "and SIGTERM takes it off lo", lo())
    t.ok(gw.stop() == 0, "the gateway stops cleanly", gw.output()[-1000:])
    sys.exit(1 if t.failed else 0)


if __name__ == "__main__":
    main()
