#!/usr/bin/python3
"""Rekeying between ospreyd (kernel-dryrun, record_keys) and strongSwan's
charon (kernel-libipsec), set up as in charon_test.py: CHILD SA rekeys with
PFS and IKE SA rekeys, each started by either side (`ospreyctl rekey`,
`swanctl --rekey`).  After a CHILD SA rekey the keys ospreyd installed are
one of the key sets charon logged and both show the same new SPIs; after an
IKE SA rekey the new IKE SA carries a CHILD SA rekey (its keys work)."""
import os
import re
import shutil
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netns import Net, Ospreyd, Tap, can_netns, established, run, skip_all, wait_for  # noqa
from charon_test import CHARON, Charon, keys_match  # noqa

PSK = "osprey-rekey-interop-psk"
OURS, THEIRS = "192.0.2.31", "192.0.2.131"
OUR_TS, THEIR_TS = "198.51.100.0/24", "203.0.113.0/24"
IKE, ESP = "aes128gcm16-prfsha256-x25519", "aes128gcm16-x25519"


def osprey_conf():
    return """kernel = { backend = "dryrun"; record_keys = true; };
logging = { default = "info"; };
connections = {
  rk = {
    local_addrs = "%s"; remote_addrs = "%s"; proposals = "%s";
    local = { auth = "psk"; id = "osprey-rk.example"; };
    remote = { auth = "psk"; id = "charon-rk.example"; };
    children = { crk = { local_ts = "%s"; remote_ts = "%s"; esp_proposals = "%s"; }; };
  };
};
secrets = {
  ike-rk = { id = [ "osprey-rk.example", "charon-rk.example" ]; secret = "%s"; };
};
""" % (OURS, THEIRS, IKE, OUR_TS, THEIR_TS, ESP, PSK)


def charon_files(d):
    os.makedirs(os.path.join(d, "run"))
    for sub in ("x509", "x509ca", "private", "pubkey"):
        os.makedirs(os.path.join(d, "swanctl", sub))
    with open(os.path.join(d, "strongswan.conf"), "w") as f:
        f.write("""charon {
  load = random nonce drbg aes sha1 sha2 hmac gcm chapoly curve25519 gmp openssl pem pkcs1 x509 revocation constraints pubkey kdf kernel-libipsec kernel-netlink socket-default vici
  retransmit_timeout = 2.0
  retransmit_tries = 2
  keep_alive = 0
  install_routes = no
  filelog {
    interop {
      path = /run/charon.log
      append = no
      flush_line = yes
      ike_name = yes
      default = 1
      ike = 2
      chd = 4
      cfg = 2
    }
  }
  syslog { daemon { default = -1 } }
}
swanctl {
  load = random nonce drbg aes sha1 sha2 hmac gmp openssl pem pkcs1 x509 revocation constraints pubkey
}
""")
    with open(os.path.join(d, "swanctl", "swanctl.conf"), "w") as f:
        f.write("""connections {
  rk {
    version = 2
    mobike = no
    local_addrs = %s
    remote_addrs = %s
    proposals = %s
    local { auth = psk
      id = charon-rk.example }
    remote { auth = psk
      id = osprey-rk.example }
    children { crk { esp_proposals = %s
      local_ts = %s
      remote_ts = %s } }
  }
}
secrets {
  ike-rk { id-1 = osprey-rk.example
    id-2 = charon-rk.example
    secret = "%s" }
}
""" % (THEIRS, OURS, IKE, ESP, THEIR_TS, OUR_TS, PSK))


def our_sa(osp):
    e = established(osp.sas("rk"), "rk")
    return e[0] if len(e) == 1 and len(osp.sas("rk")) == 1 else None


def our_child(osp):
    sa = our_sa(osp)
    if not sa or len(sa["child_sas"]) != 1 or sa["child_sas"][0]["state"] != "INSTALLED":
        return None
    return sa["child_sas"][0]


def spi_hex(v):
    return v.lower().replace("0x", "").zfill(8) if isinstance(v, str) else "%08x" % v


def charon_agrees(ch, c):
    """charon shows one IKE SA, one installed CHILD SA with our SPIs crossed."""
    txt = ch.list_sas("rk")
    return (txt.count("ESTABLISHED") == 1 and txt.count("INSTALLED") == 1 and
            re.search(r"in\s+%s" % spi_hex(c["spi_out"]), txt) is not None and
            re.search(r"out\s+%s" % spi_hex(c["spi_in"]), txt) is not None), txt


def settled(osp, ch, old_child=None, old_uid=None):
    c, sa = our_child(osp), our_sa(osp)
    if not c or not sa or len(osp.kernel().get("sas", [])) != 2:
        return False
    if old_child and c["spi_in"] == old_child["spi_in"]:
        return False
    if old_uid is not None and sa["unique_id"] == old_uid:
        return False
    return charon_agrees(ch, c)[0]


def main():
    why = can_netns()
    if why:
        skip_all(why)
    if not os.path.exists(CHARON) or not shutil.which("swanctl"):
        skip_all("strongSwan's charon/swanctl not installed")
    if not os.path.exists("/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so"):
        skip_all("charon's kernel-libipsec plugin missing (libcharon-extra-plugins)")
    t = Tap(1 + 2 * 3 + 2 * 3 + 2 + 1)
    net = Net("rc", [OURS], [THEIRS])
    run("ip", "-n", net.ns[0], "addr", "add", "198.51.100.1/32", "dev", "lo")
    run("ip", "-n", net.ns[1], "addr", "add", "203.0.113.1/32", "dev", "lo")
    run("ip", "-n", net.ns[0], "route", "add", "default", "via", THEIRS)
    run("ip", "-n", net.ns[1], "route", "add", "default", "via", OURS)
    osp = Ospreyd(net.ns[0], osprey_conf(), "rk")
    ch = None
    rc = None
    try:
        ch = Charon(net.ns[1], charon_files)
        r, out, err = osp.ctl("initiate", "rk")
        t.ok(r == 0 and wait_for(lambda: settled(osp, ch), 15), "up: ospreyd initiator",
             err + osp.output()[-3000:] + ch.list_sas("rk"))
        # CHILD SA rekeys: ospreyd initiates the rekey, then charon.
        for who in ("ospreyd", "charon"):
            old = our_child(osp) or {}
            if who == "ospreyd":
                r, out, err = osp.ctl("rekey", "--child", "rk")
                out += err
            else:
                r, out = ch.swan("--rekey", "--child", "crk")
            ok = wait_for(lambda: settled(osp, ch, old_child=old), 15)
            new = our_child(osp) or {}
            t.ok(r == 0 and ok, "%s rekeys the CHILD SA: new SPIs on both sides, one CHILD SA "
                 "each" % who, out + str(osp.sas("rk")) + ch.list_sas("rk") +
                 osp.output()[-3000:])
            t.ok(new.get("dh") == "x25519", "%s rekeys the CHILD SA: with PFS (x25519)" % who,
                 new)
            good, why = keys_match(osp, ch.log(), who == "ospreyd")
            t.ok(good, "%s rekeys the CHILD SA: the keys ospreyd installed are charon's" % who,
                 why)
        # IKE SA rekeys, each followed by a CHILD SA rekey on the new IKE SA.
        for who in ("ospreyd", "charon"):
            sa = our_sa(osp) or {}
            old = our_child(osp) or {}
            if who == "ospreyd":
                r, out, err = osp.ctl("rekey", "rk")
                out += err
            else:
                r, out = ch.swan("--rekey", "--ike", "rk")
            ok = wait_for(lambda: settled(osp, ch, old_uid=sa.get("unique_id")), 15)
            nsa = our_sa(osp) or {}
            t.ok(r == 0 and ok and nsa.get("spi_i") != sa.get("spi_i"),
                 "%s rekeys the IKE SA: ospreyd has a new unique id (%s, was %s), charon one "
                 "IKE SA" % (who, nsa.get("unique_id"), sa.get("unique_id")),
                 out + str(osp.sas("rk")) + ch.list_sas("rk") + osp.output()[-3000:])
            t.ok((our_child(osp) or {}).get("spi_in") == old.get("spi_in"),
                 "%s rekeys the IKE SA: the CHILD SA stays" % who, str(osp.sas("rk")))
            old = our_child(osp) or {}
            r, out, err = osp.ctl("rekey", "--child", "rk")
            ok = wait_for(lambda: settled(osp, ch, old_child=old), 15)
            good, why = keys_match(osp, ch.log(), True)
            t.ok(r == 0 and ok and good, "after %s's IKE SA rekey: a CHILD SA rekey over the "
                 "new IKE SA works, keys agree" % who, why + osp.output()[-3000:])
        # Both rekey at once (§2.8.1, §2.8.2): one SA pair must remain.
        # Known race (lib/ikev2/STATUS.md): when charon's rekey request
        # crosses ours without a collision, charon answers our
        # CHILD_SA_NOT_FOUND by making a fresh CHILD_SA and ospreyd can keep
        # one that charon no longer has. Seen once in ~20 runs; run these
        # cases with OSPREY_TEST_SIMULTANEOUS_REKEY=1 until it is fixed.
        for what in ("CHILD", "IKE"):
            if os.environ.get("OSPREY_TEST_SIMULTANEOUS_REKEY") != "1":
                t.n += 1
                print("ok %d - %s SA rekeyed by both at once # SKIP known race, "
                      "see lib/ikev2/STATUS.md (OSPREY_TEST_SIMULTANEOUS_REKEY=1 runs it)"
                      % (t.n, what), flush=True)
                continue
            sa, old = our_sa(osp) or {}, our_child(osp) or {}
            mark_o, mark_c = len(osp.output()), len(ch.log())
            oargs = ("rekey", "--child", "rk") if what == "CHILD" else ("rekey", "rk")
            cargs = ("--rekey", "--child", "crk") if what == "CHILD" else ("--rekey", "--ike", "rk")
            th = threading.Thread(target=ch.swan, args=cargs)
            th.start()
            osp.ctl(*oargs)
            th.join()
            if what == "CHILD":
                ok = wait_for(lambda: settled(osp, ch, old_child=old), 20)
                good, why = keys_match(osp, ch.log(), True)
                if not good:
                    good, why = keys_match(osp, ch.log(), False)
            else:
                ok = wait_for(lambda: settled(osp, ch, old_uid=sa.get("unique_id")), 20)
                good, why = True, ""
            coll = "collision" in osp.output()[mark_o:] or "collision" in ch.log()[mark_c:]
            t.ok(ok and good, "%s SA rekeyed by both at once%s: one SA pair left, the same on "
                 "both sides" % (what, " (a collision)" if coll else " (no collision)"),
                 ch.log()[mark_c:][-2000:] + "\n" + why + str(osp.sas("rk")) + "\n" +
                 ch.list_sas("rk") + osp.output()[mark_o:])
        osp.ctl("terminate", "rk")
        ok = wait_for(lambda: not osp.sas("rk") and "ESTABLISHED" not in ch.list_sas("rk"), 15)
        k = osp.kernel()
        t.ok(ok and k.get("sas") == [] and k.get("policies") == [],
             "terminate: nothing left on either side", str(k) + ch.list_sas("rk"))
    except Exception as e:
        t.ok(False, "setup or scenario raised %r" % e, osp.output()[-3000:] +
             (ch.log()[-3000:] if ch else ""))
        t.skip_rest("aborted")
    finally:
        rc = osp.stop()
        if ch:
            ch.stop()
    if t.n < t.planned:
        t.skip_rest("aborted")
    print("# ospreyd exit status %s" % rc)
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
