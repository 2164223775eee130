#!/usr/bin/python3
"""ospreyd against ospreyd: two namespaces joined by veth, both with
kernel-dryrun.  PSK establishment started from either side, over IPv4 and
IPv6, the CHILD SA keys one side installs outbound equal the other side's
inbound ones, and a delete from either side removes the SAs on both."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netns import Net, Ospreyd, Tap, can_netns, established, skip_all, wait_for  # noqa

PSK = "osprey-pair-psk-not-secret"
ADDRS = {"v4": ("192.0.2.1", "192.0.2.2"), "v6": ("2001:db8::1", "2001:db8::2")}
TS = {"v4": ("198.51.100.0/24", "203.0.113.0/24"), "v6": ("2001:db8:a::/48", "2001:db8:b::/48")}


def conf(me):
    other = 1 - me
    conns, secrets = [], []
    for fam in ("v4", "v6"):
        conns.append("""  %s = {
    local_addrs = "%s"; remote_addrs = "%s"; proposals = "aes256gcm16-prfsha384-x25519";
    local = { auth = "psk"; id = "node%d-%s.example"; };
    remote = { auth = "psk"; id = "node%d-%s.example"; };
    children = { net = { local_ts = "%s"; remote_ts = "%s"; }; };
  };""" % (fam, ADDRS[fam][me], ADDRS[fam][other], me, fam, other, fam, TS[fam][me],
           TS[fam][other]))
        secrets.append('  ike-%s = { id = [ "node0-%s.example", "node1-%s.example" ]; '
                       'secret = "%s"; };' % (fam, fam, fam, PSK))
    return """kernel = { backend = "dryrun"; record_keys = true; };
logging = { default = "info"; };
connections = {
%s
};
secrets = {
%s
};
""" % ("\n".join(conns), "\n".join(secrets))


def up(d, conn):
    e = established(d.sas(conn), conn)
    return e and e[0]["child_sas"] and e[0]["child_sas"][0]["state"] == "INSTALLED"


def keys_agree(a, b):
    ka, kb = a.kernel().get("sas", []), b.kernel().get("sas", [])
    pairs = 0
    for sa in ka:
        twin = [s for s in kb if s["spi"] == sa["spi"] and s["dir"] != sa["dir"]]
        if len(twin) != 1 or twin[0]["enc_key"] != sa["enc_key"] or not sa["enc_key"]:
            return False
        pairs += 1
    return pairs == 2 and len(kb) == 2


def main():
    why = can_netns()
    if why:
        skip_all(why)
    t = Tap(2 * 2 * 4 + 1)
    net = Net("pp", ["192.0.2.1", "2001:db8::1"], ["192.0.2.2", "2001:db8::2"], ipv6=True)
    d = [Ospreyd(net.ns[0], conf(0), "a"), Ospreyd(net.ns[1], conf(1), "b")]
    try:
        for fam in ("v4", "v6"):
            for ini in (0, 1):
                a, b = d[ini], d[1 - ini]
                who = "node%d initiates (%s)" % (ini, "IPv4" if fam == "v4" else "IPv6")
                rc, out, err = a.ctl("initiate", fam)
                ok = wait_for(lambda: up(a, fam) and up(b, fam), 10)
                t.ok(rc == 0 and ok, "%s: IKE and CHILD SA up on both" % who,
                     err + a.output()[-2000:] + b.output()[-2000:])
                sa = (established(a.sas(fam), fam) or [{}])[0]
                t.ok(sa.get("role") == "initiator" and sa.get("encr") == "aes256gcm16" and
                     sa.get("prf") == "prfsha384" and sa.get("dh") == "x25519",
                     "%s: list-sas shows role and algorithms" % who, sa)
                t.ok(keys_agree(a, b), "%s: outbound keys of one side are the inbound keys of "
                     "the other" % who, str(a.kernel()) + "\n" + str(b.kernel()))
                # the responder deletes
                b.ctl("terminate", fam)
                ok = wait_for(lambda: not a.sas(fam) and not b.sas(fam) and
                              not a.kernel().get("sas") and not b.kernel().get("sas"), 10)
                t.ok(ok, "%s: delete by the responder removes SAs and kernel records on both"
                     % who, str(a.sas(fam)) + str(b.sas(fam)))
        rcs = [x.stop() for x in d]
        t.ok(rcs == [0, 0], "both ospreyd exit 0 on SIGTERM", rcs)
    except Exception as e:
        t.ok(False, "aborted: %r" % e, d[0].output()[-2000:] + d[1].output()[-2000:])
        t.skip_rest("aborted")
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
