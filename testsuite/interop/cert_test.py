#!/usr/bin/python3
"""ospreyd against strongSwan's charon with certificates, IKE fragmentation
and a real NAT, each side in its own network namespace.  The PKI is made at
test time with lib/crypto/osprey-pki.  ospreyd uses kernel-dryrun, charon
kernel-libipsec (which forces UDP encapsulation and fakes its own NAT
detection hash, so only the side really behind the NAT proves detection).

Scenarios (each connection chosen by its address pair, both roles each):
  ec    ECDSA P-256 certificates; ospreyd signs with the classic method 9
        (signature = "classic"), charon with RFC 7427.
  rsa   RSA-2048 certificates, RFC 7427 with RSASSA-PSS on both sides
        (ospreyd signature = "rfc7427", rsa_pss; charon auth = rsa/pss-sha256).
  big   RSA-4096 chains of depth 3 (root -> intermediate -> end entity, one
        intermediate per side, sent as CERT), trust anchor from an
        authorities entry with a CRL; IKE_AUTH must be fragmented both ways.
  badca ospreyd trusts another CA than charon's: AUTHENTICATION_FAILED.
  nat   a middle namespace routes between ospreyd and charon with an
        nftables masquerade on ospreyd's side (and port forwarding of
        500/4500 to ospreyd for the reverse role)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netns import Net, Ospreyd, Tap, can_netns, run, wait_for, BUILD  # noqa
from charon_test import CHARON, Charon, both_up, both_gone  # noqa

PKI = os.path.abspath(os.path.join(BUILD, "lib", "crypto", "osprey-pki"))
OUR_TS, THEIR_TS = "198.51.100.0/24", "203.0.113.0/24"
SCEN = ["ec", "rsa", "big", "badca"]
PROPOSAL, ESP = "aes128gcm16-prfsha256-x25519", "aes128gcm16"
# NAT topology: ospreyd 10.9.1.2 - 10.9.1.1 [mid] 10.9.2.1 - 10.9.2.2 charon
NAT_O, NAT_MO, NAT_MC, NAT_C = "10.9.1.2", "10.9.1.1", "10.9.2.1", "10.9.2.2"


def addr(scen, ours):
    return "192.0.2.%d" % ((10 if ours else 100) + SCEN.index(scen) + 1)


def make_pki(d):
    """Keys and certificates for every scenario, in d."""
    def key(name, typ, size):
        return subprocess.Popen([PKI, "key", "--type", typ, "--size", str(size), "--out",
                                 os.path.join(d, name + ".key")])

    def p(name):
        return os.path.join(d, name)

    jobs = [key("ec-ca", "ecdsa", 256), key("ec-osprey", "ecdsa", 256),
            key("ec-charon", "ecdsa", 256), key("rsa-ca", "rsa", 2048),
            key("rsa-osprey", "rsa", 2048), key("rsa-charon", "rsa", 2048)]
    jobs += [key(n, "rsa", 4096) for n in ("big-root", "big-io", "big-ic", "big-osprey",
                                           "big-charon")]
    for j in jobs:
        if j.wait(120):
            raise RuntimeError("osprey-pki key failed")

    def self_(ca, dn):
        run(PKI, "self", "--key", p(ca + ".key"), "--dn", dn, "--out", p(ca + ".crt"))

    def issue(name, ca, dn, san=None, is_ca=False):
        cmd = [PKI, "issue", "--key", p(name + ".key"), "--cakey", p(ca + ".key"), "--cacert",
               p(ca + ".crt"), "--dn", dn, "--out", p(name + ".crt")]
        if san:
            cmd += ["--san", san]
        if is_ca:
            cmd += ["--ca"]
        run(*cmd)

    self_("ec-ca", "C=CH, O=osprey test, CN=ECDSA CA")
    self_("rsa-ca", "C=CH, O=osprey test, CN=RSA CA")
    self_("big-root", "C=CH, O=osprey test, CN=Big Root CA")
    for s in ("ec", "rsa"):
        for who in ("osprey", "charon"):
            issue("%s-%s" % (s, who), s + "-ca", "C=CH, O=osprey test, CN=%s-%s.example" %
                  (who, s), "%s-%s.example" % (who, s))
    issue("big-io", "big-root", "C=CH, O=osprey test, CN=Intermediate O", is_ca=True)
    issue("big-ic", "big-root", "C=CH, O=osprey test, CN=Intermediate C", is_ca=True)
    issue("big-osprey", "big-io", "C=CH, O=osprey test, CN=osprey-big.example",
          "osprey-big.example")
    issue("big-charon", "big-ic", "C=CH, O=osprey test, CN=charon-big.example",
          "charon-big.example")
    run(PKI, "crl", "--cakey", p("big-root.key"), "--cacert", p("big-root.crt"), "--out",
        p("big-root.crl"))


# scenario -> (local cert files, remote CA files or None (authorities), key, ids, extra)
def osprey_conf(d):
    def p(n):
        return os.path.join(d, n)

    spec = {
        "ec": ([p("ec-osprey.crt")], [p("ec-ca.crt")], 'signature = "classic";'),
        "rsa": ([p("rsa-osprey.crt")], [p("rsa-ca.crt")], 'signature = "rfc7427"; '
                'rsa_pss = true;'),
        "big": ([p("big-osprey.crt"), p("big-io.crt")], None, ""),
        "badca": ([p("ec-osprey.crt")], [p("rsa-ca.crt")], ""),
    }
    conns = []
    for s in SCEN + ["nat"]:
        certs, cas, extra = spec.get(s, spec["ec"])
        idn = {"badca": "ec", "nat": "ec"}.get(s, s)
        la, ra = (NAT_O, NAT_C) if s == "nat" else (addr(s, True), addr(s, False))
        conns.append("""  %s = {
    local_addrs = "%s"; remote_addrs = "%s"; proposals = "%s";
    local = { auth = "pubkey"; id = "osprey-%s.example"; certs = [ %s ]; %s };
    remote = { auth = "pubkey"; id = "charon-%s.example"; %s };
    children = { c%s = { local_ts = "%s"; remote_ts = "%s"; esp_proposals = "%s"; }; };
  };""" % (s, la, ra, PROPOSAL, idn, ", ".join('"%s"' % c for c in certs), extra, idn,
           'cacerts = [ "%s" ];' % cas[0] if cas else "", s, OUR_TS, THEIR_TS, ESP))
    return """kernel = { backend = "dryrun"; record_keys = false; };
logging = { default = "info"; ike = "debug"; };
connections = {
%s
};
secrets = {
  private-ec = { file = "%s"; };
  rsa-rsa = { file = "%s"; };
  private-big = { file = "%s"; };
};
authorities = {
  bigroot = { cacert = "%s"; crls = [ "%s" ]; };
};
""" % ("\n".join(conns), p("ec-osprey.key"), p("rsa-osprey.key"), p("big-osprey.key"),
       p("big-root.crt"), p("big-root.crl"))


def charon_files_for(pki):
    def files(d):
        os.makedirs(os.path.join(d, "run"))
        sw = os.path.join(d, "swanctl")
        for sub in ("x509", "x509ca", "private", "rsa", "ecdsa", "pubkey"):
            os.makedirs(os.path.join(sw, sub))
        for n in ("ec-charon", "rsa-charon", "big-charon"):
            shutil.copy(os.path.join(pki, n + ".crt"), os.path.join(sw, "x509"))
        for n in ("ec-ca", "rsa-ca", "big-root", "big-ic"):
            shutil.copy(os.path.join(pki, n + ".crt"), os.path.join(sw, "x509ca"))
        shutil.copy(os.path.join(pki, "ec-charon.key"), os.path.join(sw, "ecdsa"))
        for n in ("rsa-charon", "big-charon"):
            shutil.copy(os.path.join(pki, n + ".key"), os.path.join(sw, "rsa"))
        with open(os.path.join(d, "strongswan.conf"), "w") as f:
            f.write("""charon {
  load = random nonce drbg aes sha1 sha2 hmac gcm chapoly curve25519 gmp mgf1 openssl pem pkcs1 pkcs8 x509 revocation constraints pubkey kdf kernel-libipsec kernel-netlink socket-default vici
  retransmit_timeout = 2.0
  retransmit_tries = 2
  keep_alive = 0
  install_routes = no
  fragment_size = 1280
  filelog {
    interop {
      path = /run/charon.log
      append = no
      flush_line = yes
      ike_name = yes
      default = 1
      ike = 2
      enc = 1
      cfg = 2
    }
  }
  syslog { daemon { default = -1 } }
}
swanctl {
  load = random nonce drbg aes sha1 sha2 hmac gmp mgf1 openssl pem pkcs1 pkcs8 x509 revocation constraints pubkey
}
""")
        spec = {"ec": ("ec-charon.crt", "ec-ca.crt", "pubkey"),
                "rsa": ("rsa-charon.crt", "rsa-ca.crt", "rsa/pss-sha256"),
                "big": ("big-charon.crt", "big-root.crt", "pubkey"),
                "badca": ("ec-charon.crt", "ec-ca.crt", "pubkey"),
                "nat": ("ec-charon.crt", "ec-ca.crt", "pubkey")}
        conns = []
        for s in SCEN + ["nat"]:
            cert, ca, auth = spec[s]
            idn = {"badca": "ec", "nat": "ec"}.get(s, s)
            la, ra = (NAT_C, NAT_MC) if s == "nat" else (addr(s, False), addr(s, True))
            conns.append("""  %s {
    version = 2
    mobike = no
    fragmentation = yes
    local_addrs = %s
    remote_addrs = %s
    proposals = %s
    local { auth = %s
      certs = %s
      id = charon-%s.example }
    remote { auth = pubkey
      cacerts = %s
      id = osprey-%s.example }
    children { c%s { esp_proposals = %s
      local_ts = %s
      remote_ts = %s } }
  }""" % (s, la, ra, PROPOSAL, auth, cert, idn, ca, idn, s, ESP, THEIR_TS, OUR_TS))
        with open(os.path.join(sw, "swanctl.conf"), "w") as f:
            f.write("connections {\n%s\n}\n" % "\n".join(conns))
    return files


class Marks:
    """Log positions, so each check reads only what a step produced."""

    def __init__(self, osp, ch):
        self.osp, self.ch = osp, ch
        self.o, self.c = len(osp.output()), len(ch.log())

    def olog(self):
        return self.osp.output()[self.o:]

    def clog(self):
        return self.ch.log()[self.c:]


def olines(log, scen):
    """ospreyd's log lines of conn scen (the engine prefixes them)."""
    return "\n".join(ln for ln in log.splitlines() if scen in ln)


CHECKS = {
    # scenario: (ospreyd signs, charon verified ours, charon signs, ospreyd verified)
    "ec": (r"AUTH signed with method 9 \(ECDSA, SHA-256\)",
           r"authentication of 'osprey-ec.example' with ECDSA-256 signature successful",
           r"authentication of 'charon-ec.example' \(myself\) with ECDSA_WITH_SHA256_DER",
           r"peer's AUTH verified"),
    "rsa": (r"AUTH signed with method 14 \(RSASSA-PSS, SHA-(256|384|512)\)",
            r"authentication of 'osprey-rsa.example' with RSA_EMSA_PSS_SHA2_\d+(_SALT_\d+)? "
            r"successful",
            r"authentication of 'charon-rsa.example' \(myself\) with RSA_EMSA_PSS_SHA2_256",
            r"peer's AUTH verified"),
    "big": (r"AUTH signed with method 14 \(RSA PKCS#1 v1.5",
            r"authentication of 'osprey-big.example' with RSA_EMSA_PKCS1_SHA2_\d+ successful",
            r"authentication of 'charon-big.example' \(myself\) with RSA_EMSA_PKCS1_SHA2",
            r"peer's AUTH verified"),
}


def auth_lines(log):
    return "\n".join(ln for ln in log.splitlines() if "AUTH" in ln or "authentication" in ln)


def scenario_ok(t, osp, ch, s):
    sign_o, ver_c, sign_c, ver_o = CHECKS[s]
    for we_init in (True, False):
        role = "ospreyd initiator" if we_init else "ospreyd responder"
        m = Marks(osp, ch)
        if we_init:
            rc, out, err = osp.ctl("initiate", s)
            out += err
        else:
            rc, out = ch.swan("--initiate", "--child", "c" + s, "--timeout", "20", timeout=40)
        ok_o, ok_c, txt = both_up(osp, ch, s)
        t.ok(rc == 0 and ok_o, "%s, %s: IKE and CHILD SA established in ospreyd (list-sas)" %
             (s, role), out + m.olog()[-3000:] + m.clog()[-3000:])
        t.ok(ok_c, "%s, %s: established and INSTALLED in charon (swanctl --list-sas)" %
             (s, role), txt)
        ol, cl = m.olog(), m.clog()
        t.ok(re.search(sign_o, ol) and re.search(ver_o, ol) and re.search(ver_c, cl) and
             re.search(sign_c, cl), "%s, %s: auth methods: ospreyd /%s/, charon /%s/" %
             (s, role, sign_o.replace("\\", ""), sign_c.replace("\\", "")),
             auth_lines(ol + cl))
        if s == "big":
            n_sent = re.findall(r"message \d+ sent in (\d+) fragments", ol)
            n_recv = re.findall(r"message \d+ reassembled from (\d+) fragments", ol)
            c_split = re.findall(r"splitting IKE message \(\d+ bytes\) into (\d+) fragments",
                                 cl)
            c_recv = re.findall(r"received fragment #\d+ of (\d+), reassembled", cl)
            certs = re.search(r"sending 2 certificates", ol)
            t.ok(n_sent and n_recv and c_split and c_recv and certs and
                 int(n_sent[0]) > 1 and int(c_split[0]) > 1,
                 "big, %s: IKE_AUTH fragmented both ways (ospreyd sent %s, reassembled %s; "
                 "charon split %s, reassembled %s), 2 CERTs (end entity + intermediate) sent"
                 % (role, n_sent, n_recv, c_split, c_recv), ol[-4000:] + cl[-4000:])
        if we_init:
            osp.ctl("terminate", s)
        else:
            ch.swan("--terminate", "--ike", s, "--timeout", "15")
        t.ok(both_gone(osp, ch, s), "%s, %s: delete removes the SAs on both sides" % (s, role),
             ch.list_sas(s) + str(osp.sas(s)))


def scenario_badca(t, osp, ch):
    m = Marks(osp, ch)
    osp.ctl("initiate", "badca")
    ok = wait_for(lambda: "authentication of the responder failed" in m.olog(), 15)
    t.ok(ok and "unknown issuer" in m.olog() and not osp.sas("badca"),
         "badca, ospreyd initiator: charon's certificate refused (unknown issuer), no SA left",
         m.olog())
    t.ok(wait_for(lambda: re.search(r"parsed INFORMATIONAL request \d+ \[ N\(AUTH_FAILED\) \]",
                                    m.clog()), 10),
         "badca, ospreyd initiator: charon received the AUTHENTICATION_FAILED notify "
         "(INFORMATIONAL, RFC 7296 §2.21.2)", m.clog())
    m = Marks(osp, ch)
    rc, out = ch.swan("--initiate", "--child", "cbadca", "--timeout", "15", timeout=40)
    t.ok("authentication of the peer failed" in m.olog() and "unknown issuer" in m.olog() and
         not osp.sas("badca"), "badca, ospreyd responder: charon's certificate refused "
         "(unknown issuer)", m.olog())
    t.ok(rc != 0 and "received AUTHENTICATION_FAILED" in m.clog(),
         "badca, ospreyd responder: charon initiator received AUTHENTICATION_FAILED",
         out + m.clog())


def nat_setup(tag):
    """Namespaces o (ospreyd), m (middle, masquerade), c (charon)."""
    pid = os.getpid() % 100000
    ns = ["osp%s-%s%d" % (tag, x, pid) for x in "omc"]
    import atexit
    atexit.register(lambda: [subprocess.run(["ip", "netns", "del", n], capture_output=True)
                             for n in ns])
    for n in ns:
        run("ip", "netns", "del", n, check=False)
        run("ip", "netns", "add", n)
        run("ip", "-n", n, "link", "set", "lo", "up")
    vo, vmo, vmc, vc = ["v%s%s%d" % (tag, x, pid) for x in ("o", "mo", "mc", "c")]
    run("ip", "link", "add", vo, "netns", ns[0], "type", "veth", "peer", "name", vmo, "netns",
        ns[1])
    run("ip", "link", "add", vc, "netns", ns[2], "type", "veth", "peer", "name", vmc, "netns",
        ns[1])
    for n, v, a in ((ns[0], vo, NAT_O), (ns[1], vmo, NAT_MO), (ns[1], vmc, NAT_MC),
                    (ns[2], vc, NAT_C)):
        run("ip", "-n", n, "addr", "add", a + "/24", "dev", v)
        run("ip", "-n", n, "link", "set", v, "up")
    run("ip", "-n", ns[0], "route", "add", "default", "via", NAT_MO)
    run("ip", "-n", ns[0], "addr", "add", "198.51.100.1/32", "dev", "lo")
    run("ip", "-n", ns[2], "addr", "add", "203.0.113.1/32", "dev", "lo")
    run("ip", "netns", "exec", ns[1], "sysctl", "-qw", "net.ipv4.ip_forward=1")
    # charon's namespace has no route back to 10.9.1.0/24: only the
    # masquerade (and the port forward) lets the two talk.
    nft = """table ip ospnat {
  chain pre {
    type nat hook prerouting priority -100;
    iifname "%s" udp dport { 500, 4500 } dnat to %s
  }
  chain post {
    type nat hook postrouting priority 100;
    oifname "%s" masquerade
  }
}
""" % (vmc, NAT_O, vmc)
    p = subprocess.run(["ip", "netns", "exec", ns[1], "nft", "-f", "-"], input=nft, text=True,
                       capture_output=True)
    if p.returncode:
        raise RuntimeError("nft: " + p.stderr)
    return ns


def dryrun_encap(osp):
    sas = osp.kernel().get("sas", [])
    return bool(sas) and all(s.get("encap") and s.get("sport") == 4500 and
                             s.get("dport") == 4500 for s in sas), sas


def scenario_nat(t, osp, ch):
    # ospreyd behind the masquerade initiates.
    m = Marks(osp, ch)
    rc, out, err = osp.ctl("initiate", "nat")
    ok_o, ok_c, txt = both_up(osp, ch, "nat")
    t.ok(rc == 0 and ok_o and ok_c, "nat, ospreyd initiator behind the masquerade: IKE and "
         "CHILD SA established on both sides", out + err + m.olog()[-3000:] + txt)
    t.ok(re.search(r"NAT detected \(local 1, remote \d\), moving to port 4500", m.olog()),
         "nat, ospreyd initiator: detects that it is behind a NAT (its own NAT-D hash does "
         "not match: local 1)", m.olog()[-3000:])
    t.ok("remote host is behind NAT" in m.clog() and
         re.search(r"nat\[\d+\]: ESTABLISHED.*\n.*%s\[4500\]" % re.escape(NAT_MC), txt) or
         (NAT_MC + "[4500]") in txt,
         "nat: charon responder sees the translated source %s (port 4500) and detects the NAT"
         % NAT_MC, txt + m.clog()[-3000:])
    ok, sas = dryrun_encap(osp)
    t.ok(ok, "nat, ospreyd initiator: kernel-dryrun CHILD SAs are UDP-encapsulated 4500<->4500",
         sas)
    osp.ctl("terminate", "nat")
    t.ok(both_gone(osp, ch, "nat"), "nat, ospreyd initiator: delete removes the SAs on both "
         "sides", ch.list_sas("nat") + str(osp.sas("nat")))
    # charon initiates to the NAT's outside address, forwarded to ospreyd.
    m = Marks(osp, ch)
    rc, out = ch.swan("--initiate", "--child", "cnat", "--timeout", "20", timeout=40)
    ok_o, ok_c, txt = both_up(osp, ch, "nat")
    t.ok(rc == 0 and ok_o and ok_c, "nat, ospreyd responder behind a port forward: IKE and "
         "CHILD SA established on both sides", out + m.olog()[-3000:] + txt)
    t.ok("remote host is behind NAT" in m.clog(), "nat, ospreyd responder: charon detects "
         "that ospreyd is behind a NAT (ospreyd's NAT-D carries its real address %s)" % NAT_O,
         m.clog()[-3000:])
    sa = osp.sas("nat")
    ok, sas = dryrun_encap(osp)
    t.ok(ok and sa and sa[0]["local_port"] == 4500,
         "nat, ospreyd responder: on port 4500, kernel-dryrun CHILD SAs UDP-encapsulated",
         str(sas) + str(sa))
    ch.swan("--terminate", "--ike", "nat", "--timeout", "15")
    t.ok(both_gone(osp, ch, "nat"), "nat, ospreyd responder: delete removes the SAs on both "
         "sides", ch.list_sas("nat") + str(osp.sas("nat")))


# check-config; ec, rsa: 4 per role; big: 5 per role; badca 4; nat 9; loaded
N_TESTS = 1 + 2 * 4 + 2 * 4 + 2 * 5 + 4 + 9 + 1


def main():
    why = can_netns()
    if why:
        from netns import skip_all
        skip_all(why)
    from netns import skip_all
    if not os.path.exists(CHARON) or not shutil.which("swanctl"):
        skip_all("strongSwan's charon/swanctl not installed (testsuite/deps.sh)")
    if not os.path.exists("/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so"):
        skip_all("charon's kernel-libipsec plugin missing (libcharon-extra-plugins)")
    if not shutil.which("nft"):
        skip_all("nft not installed (nftables, testsuite/deps.sh)")
    if not os.path.exists(PKI):
        skip_all("lib/crypto/osprey-pki not built")
    t = Tap(N_TESTS)
    pki = tempfile.mkdtemp(prefix="osprey-interop-pki-")
    osp = ch = nosp = nch = None
    rc = None
    try:
        make_pki(pki)
        conf = osprey_conf(pki)
        # ospreyd's side of the direct link; the NAT scenario runs apart.
        net = Net("ct", [addr(s, True) for s in SCEN], [addr(s, False) for s in SCEN])
        run("ip", "-n", net.ns[0], "addr", "add", "198.51.100.1/32", "dev", "lo")
        run("ip", "-n", net.ns[1], "addr", "add", "203.0.113.1/32", "dev", "lo")
        run("ip", "-n", net.ns[0], "route", "add", "default", "via", addr("ec", False))
        run("ip", "-n", net.ns[1], "route", "add", "default", "via", addr("ec", True))
        with open(os.path.join(pki, "osprey.conf"), "w") as f:
            f.write(conf)
        chk = subprocess.run([os.path.join(BUILD, "daemon", "ospreyd"), "--check-config", "-c",
                              os.path.join(pki, "osprey.conf")], text=True, capture_output=True)
        t.ok(chk.returncode == 0, "ospreyd --check-config accepts the certificate configuration",
             chk.stdout + chk.stderr)
        osp = Ospreyd(net.ns[0], conf)
        ch = Charon(net.ns[1], charon_files_for(pki))
        for s in ("ec", "rsa", "big"):
            scenario_ok(t, osp, ch, s)
        scenario_badca(t, osp, ch)
        ns = nat_setup("nt")
        nosp = Ospreyd(ns[0], conf, "nat")
        nch = Charon(ns[2], charon_files_for(pki))
        scenario_nat(t, nosp, nch)
        t.ok("is not loaded into the IKE engine" not in osp.output(),
             "every certificate connection was loaded into the engine", osp.output()[:3000])
    except Exception as e:  # a broken setup: report, do not hang
        t.ok(False, "setup or scenario raised %r" % e, (osp.output()[-3000:] if osp else "") +
             (ch.log()[-3000:] if ch else ""))
    finally:
        for o in (osp, nosp):
            if o:
                r = o.stop()
                rc = r if rc in (None, 0) else rc
        for c in (ch, nch):
            if c:
                c.stop()
        if not os.environ.get("KEEP_INTEROP"):
            shutil.rmtree(pki, ignore_errors=True)
    if t.n < t.planned:
        t.skip_rest("aborted")
    print("# ospreyd exit status %s" % rc)
    return 1 if t.failed or rc else 0


if __name__ == "__main__":
    sys.exit(main())
