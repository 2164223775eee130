#!/usr/bin/python3
"""ospreyd against strongSwan's charon, each in its own network namespace
joined by veth.  The kernel here has no ESP: charon uses kernel-libipsec
(which forces UDP encapsulation and fakes NAT detection), ospreyd uses
kernel-dryrun with record_keys on, so the CHILD SA keys it derives can be
compared with those charon logs at `chd 4`.

Each scenario has its own address pair, so each side's connection is
chosen by address: p1..p4 are the four proposals, badpsk has a different
PSK on each side, mismatch has proposals the other side refuses.  Both
roles are covered for each."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netns import Net, Ospreyd, Tap, can_netns, established, run, skip_all, wait_for  # noqa

CHARON = os.environ.get("CHARON", "/usr/lib/ipsec/charon")
PSK = "osprey-interop-psk-not-secret"

# name, IKE proposal, ESP proposal
PROPOSALS = [
    ("p1", "aes128gcm16-prfsha256-x25519", "aes128gcm16"),
    ("p2", "aes256-sha256-modp2048", "aes256-sha256"),
    ("p3", "aes256gcm16-prfsha384-ecp384", "aes256gcm16"),
    ("p4", "chacha20poly1305-prfsha256-x25519", "chacha20poly1305"),
]
MISMATCH_OSPREY = "aes256gcm16-prfsha384-ecp384"
MISMATCH_CHARON = "aes128-sha256-modp2048"
SCEN = [p[0] for p in PROPOSALS] + ["badpsk", "mismatch"]
OUR_TS, THEIR_TS = "198.51.100.0/24", "203.0.113.0/24"
OUR_TS2, THEIR_TS2 = "198.51.100.1/32[tcp/2000]", "203.0.113.1/32[tcp/3000]"


def addr(scen, ours):
    k = SCEN.index(scen) + 1
    return "192.0.2.%d" % ((10 if ours else 100) + k)


def props(scen):
    for name, ike, esp in PROPOSALS:
        if name == scen:
            return ike, esp
    if scen == "badpsk":
        return PROPOSALS[0][1], PROPOSALS[0][2]
    return None


def osprey_conf():
    conns, secrets = [], []
    for s in SCEN:
        ike, esp = props(s) or (MISMATCH_OSPREY, "aes256gcm16")
        children = 'c%s = { local_ts = "%s"; remote_ts = "%s"; esp_proposals = "%s"; };' % (
            s, OUR_TS, THEIR_TS, esp)
        if s == "p1":
            children += ' x1 = { local_ts = "%s"; remote_ts = "%s"; esp_proposals = "%s"; };' % (
                OUR_TS2, THEIR_TS2, esp)
        conns.append("""  %s = {
    local_addrs = "%s"; remote_addrs = "%s"; proposals = "%s";
    local = { auth = "psk"; id = "osprey-%s.example"; };
    remote = { auth = "psk"; id = "charon-%s.example"; };
    children = { %s };
  };""" % (s, addr(s, True), addr(s, False), ike, s, s, children))
        secrets.append('  ike-%s = { id = [ "osprey-%s.example", "charon-%s.example" ]; '
                       'secret = "%s"; };' % (s, s, s, PSK + ("-ours" if s == "badpsk" else "")))
    return """kernel = { backend = "dryrun"; record_keys = true; };
logging = { default = "info"; };
connections = {
%s
};
secrets = {
%s
};
""" % ("\n".join(conns), "\n".join(secrets))


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
    conns, secrets = [], []
    for s in SCEN:
        ike, esp = props(s) or (MISMATCH_CHARON, "aes128-sha256")
        children = "c%s { esp_proposals = %s\n local_ts = %s\n remote_ts = %s }" % (
            s, esp, THEIR_TS, OUR_TS)
        if s == "p1":
            children += "\n x1 { esp_proposals = %s\n local_ts = %s\n remote_ts = %s }" % (
                esp, THEIR_TS2, OUR_TS2)
        conns.append("""  %s {
    version = 2
    mobike = no
    local_addrs = %s
    remote_addrs = %s
    proposals = %s
    local { auth = psk
      id = charon-%s.example }
    remote { auth = psk
      id = osprey-%s.example }
    children { %s }
  }""" % (s, addr(s, False), addr(s, True), ike, s, s, children))
        secrets.append("""  ike-%s { id-1 = osprey-%s.example
    id-2 = charon-%s.example
    secret = "%s" }""" % (s, s, s, PSK + ("-theirs" if s == "badpsk" else "")))
    with open(os.path.join(d, "swanctl", "swanctl.conf"), "w") as f:
        f.write("connections {\n%s\n}\nsecrets {\n%s\n}\n" % ("\n".join(conns),
                                                               "\n".join(secrets)))


class Charon:
    """charon in namespace ns; files(dir) writes its strongswan.conf and
    swanctl/ tree (default: this test's PSK scenarios)."""

    def __init__(self, ns, files=None):
        self.dir = tempfile.mkdtemp(prefix="osprey-interop-charon-")
        (files or charon_files)(self.dir)
        self.out = open(os.path.join(self.dir, "charon.out"), "w")
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", ns, "unshare", "-m", "--propagation", "private", "sh", "-c",
             'mount --bind "$1" /run && exec env STRONGSWAN_CONF="$2" "$3"', "charon-sh",
             os.path.join(self.dir, "run"), os.path.join(self.dir, "strongswan.conf"), CHARON],
            stdout=self.out, stderr=subprocess.STDOUT)
        self.vici = os.path.join(self.dir, "run", "charon.vici")
        if not wait_for(lambda: os.path.exists(self.vici), 10):
            raise RuntimeError("charon did not start: " + open(self.out.name).read())
        self.swan("--load-all", "--noprompt")

    def swan(self, *args, timeout=30):
        env = dict(os.environ, STRONGSWAN_CONF=os.path.join(self.dir, "strongswan.conf"),
                   SWANCTL_DIR=os.path.join(self.dir, "swanctl"))
        p = subprocess.run(["swanctl"] + list(args) + ["--uri", "unix://" + self.vici],
                           capture_output=True, text=True, timeout=timeout, env=env)
        return p.returncode, p.stdout + p.stderr

    def log(self):
        try:
            with open(os.path.join(self.dir, "run", "charon.log")) as f:
                return f.read()
        except OSError:
            return ""

    def list_sas(self, ike):
        return self.swan("--list-sas", "--ike", ike)[1]

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()
        if not os.environ.get("KEEP_INTEROP"):
            shutil.rmtree(self.dir, ignore_errors=True)


KEY_RE = re.compile(r"\[CHD\] (?:<[^>]*> )?(encryption|integrity) (initiator|responder) key "
                    r"=> (\d+) bytes")
HEX_RE = re.compile(r"\[CHD\] (?:<[^>]*> )?\s*\d+: ((?:[0-9A-F]{2} )*[0-9A-F]{2})")


def charon_child_keys(log):
    """Every CHILD SA key set charon derived: dicts {"encryption initiator": hex, ...}."""
    sets, cur, lines, i = [], {}, log.splitlines(), 0
    while i < len(lines):
        m = KEY_RE.search(lines[i])
        i += 1
        if not m:
            continue
        label, n, hx = m.group(1) + " " + m.group(2), int(m.group(3)), []
        while len(hx) < n and i < len(lines):
            h = HEX_RE.search(lines[i])
            if not h:
                break
            hx += h.group(1).split()[:n - len(hx)]
            i += 1
        if label in cur:
            sets.append(cur)
            cur = {}
        cur[label] = "".join(hx).lower()
    if cur:
        sets.append(cur)
    return sets


def keys_match(osp, charon_log, we_initiated_child):
    """Our recorded inbound/outbound keys equal one key set charon logged."""
    sas = osp.kernel().get("sas", [])
    out = [s for s in sas if s["dir"] == "out"]
    inn = [s for s in sas if s["dir"] == "in"]
    if len(out) != 1 or len(inn) != 1:
        return False, "expected one SA each way, got %s" % sas
    mine, theirs = ("initiator", "responder") if we_initiated_child else ("responder",
                                                                           "initiator")
    for ks in charon_child_keys(charon_log):
        if ks.get("encryption " + mine) == out[0].get("enc_key") and \
           ks.get("encryption " + theirs) == inn[0].get("enc_key") and \
           ks.get("integrity " + mine, "") == out[0].get("integ_key", "") and \
           ks.get("integrity " + theirs, "") == inn[0].get("integ_key", ""):
            return True, ""
    return False, "ours: out %s in %s; charon: %s" % (out[0], inn[0],
                                                       charon_child_keys(charon_log))


def child_count(sa):
    return len([c for c in sa["child_sas"] if c["state"] == "INSTALLED"])


def both_up(osp, ch, s, nchild=1):
    def cond():
        e = established(osp.sas(s), s)
        return e and child_count(e[0]) >= nchild
    ok = wait_for(cond, 15)
    txt = ch.list_sas(s)
    ok_c = "ESTABLISHED" in txt and txt.count("INSTALLED") >= nchild
    return bool(ok), ok_c, txt


def both_gone(osp, ch, s):
    ok = wait_for(lambda: not osp.sas(s) and "ESTABLISHED" not in ch.list_sas(s), 15)
    return bool(ok)


def scenario_proposal(t, osp, ch, s):
    ike, _ = props(s)
    # ospreyd initiates, and deletes
    rc, out, err = osp.ctl("initiate", s)
    ok_o, ok_c, txt = both_up(osp, ch, s)
    t.ok(rc == 0 and ok_o, "%s %s: ospreyd initiator: IKE and CHILD SA up in ospreyd" % (s, ike),
         err + osp.output()[-3000:])
    t.ok(ok_c, "%s: charon responder: swanctl --list-sas shows them" % s, txt)
    ok, why = keys_match(osp, ch.log(), True)
    t.ok(ok, "%s: CHILD SA keys recorded by kernel-dryrun equal charon's (ospreyd initiator)" % s,
         why)
    if s == "p1":
        osp.ctl("initiate", s, "x1")
        ok_o, ok_c, txt = both_up(osp, ch, s, 2)
        t.ok(ok_o and ok_c, "p1: second CHILD SA (CREATE_CHILD_SA) from ospreyd on both sides",
             txt + osp.output()[-2000:])
    osp.ctl("terminate", s)
    t.ok(both_gone(osp, ch, s), "%s: delete from ospreyd removes the SAs on both sides" % s,
         ch.list_sas(s) + str(osp.sas(s)) + osp.output()[-2000:])
    # charon initiates, and deletes
    rc, out = ch.swan("--initiate", "--child", "c" + s, "--timeout", "15")
    ok_o, ok_c, txt = both_up(osp, ch, s)
    t.ok(rc == 0 and ok_o, "%s: ospreyd responder: IKE and CHILD SA up in ospreyd" % s,
         out + osp.output()[-3000:])
    t.ok(ok_c, "%s: charon initiator: swanctl --list-sas shows them" % s, txt)
    ok, why = keys_match(osp, ch.log(), False)
    t.ok(ok, "%s: CHILD SA keys recorded by kernel-dryrun equal charon's (ospreyd responder)" % s,
         why)
    if s == "p1":
        ch.swan("--initiate", "--child", "x1", "--timeout", "15")
        ok_o, ok_c, txt = both_up(osp, ch, s, 2)
        t.ok(ok_o and ok_c, "p1: second CHILD SA (CREATE_CHILD_SA) from charon on both sides",
             txt + osp.output()[-2000:])
    ch.swan("--terminate", "--ike", s, "--timeout", "15")
    t.ok(both_gone(osp, ch, s), "%s: delete from charon removes the SAs on both sides" % s,
         ch.list_sas(s) + str(osp.sas(s)))


def scenario_badpsk(t, osp, ch):
    mark_o, mark_c = len(osp.output()), len(ch.log())
    osp.ctl("initiate", "badpsk")
    ok = wait_for(lambda: "AUTHENTICATION_FAILED" in osp.output()[mark_o:], 15)
    t.ok(ok and not osp.sas("badpsk"), "wrong PSK, ospreyd initiator: AUTHENTICATION_FAILED "
         "logged by ospreyd, no SA left", osp.output()[mark_o:])
    t.ok(wait_for(lambda: "N(AUTH_FAILED)" in ch.log()[mark_c:], 5),
         "wrong PSK: charon responder answered AUTHENTICATION_FAILED", ch.log()[mark_c:])
    mark_o, mark_c = len(osp.output()), len(ch.log())
    rc, out = ch.swan("--initiate", "--child", "cbadpsk", "--timeout", "15")
    log = osp.output()[mark_o:]
    t.ok(re.search(r"authentication of the peer failed.*\n.*AUTHENTICATION_FAILED", log) and
         not osp.sas("badpsk"), "wrong PSK, ospreyd responder: a clear log line "
         "(authentication of the peer failed ... AUTHENTICATION_FAILED)", log)
    t.ok(rc != 0 and "received AUTHENTICATION_FAILED" in ch.log()[mark_c:],
         "wrong PSK: charon initiator received AUTHENTICATION_FAILED", out + ch.log()[mark_c:])


def scenario_mismatch(t, osp, ch):
    mark_o, mark_c = len(osp.output()), len(ch.log())
    osp.ctl("initiate", "mismatch")
    ok = wait_for(lambda: "NO_PROPOSAL_CHOSEN" in osp.output()[mark_o:], 15)
    log = osp.output()[mark_o:]
    t.ok(ok and "aes256gcm16" in log, "proposal mismatch, ospreyd initiator: NO_PROPOSAL_CHOSEN "
         "logged with our proposals", log)
    t.ok(wait_for(lambda: "N(NO_PROP)" in ch.log()[mark_c:], 5),
         "proposal mismatch: charon responder answered NO_PROPOSAL_CHOSEN", ch.log()[mark_c:])
    mark_o, mark_c = len(osp.output()), len(ch.log())
    rc, out = ch.swan("--initiate", "--child", "cmismatch", "--timeout", "15")
    line = [ln for ln in osp.output()[mark_o:].splitlines() if "no proposal chosen" in ln]
    t.ok(line and "peer offered" in line[0] and "aes128" in line[0] and "modp2048" in line[0] and
         "aes256gcm16" in line[0] and "ecp384" in line[0], "proposal mismatch, ospreyd responder: "
         "one log line lists both sides' proposals", osp.output()[mark_o:])
    t.ok(rc != 0 and "received NO_PROPOSAL_CHOSEN" in ch.log()[mark_c:],
         "proposal mismatch: charon initiator received NO_PROPOSAL_CHOSEN",
         out + ch.log()[mark_c:])


def main():
    why = can_netns()
    if why:
        skip_all(why)
    if not os.path.exists(CHARON) or not shutil.which("swanctl"):
        skip_all("strongSwan's charon/swanctl not installed (testsuite/deps.sh installs "
                 "strongswan-charon strongswan-swanctl libcharon-extra-plugins)")
    if not os.path.exists("/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so"):
        skip_all("charon's kernel-libipsec plugin missing (libcharon-extra-plugins)")
    t = Tap(4 * 8 + 2 + 4 + 4 + 2)
    net = Net("ic", [addr(s, True) for s in SCEN], [addr(s, False) for s in SCEN])
    # kernel-libipsec routes the remote subnet into its TUN device with a
    # source address from the local subnet: each side owns one, and a
    # default route keeps charon's source address lookups happy.
    run("ip", "-n", net.ns[0], "addr", "add", "198.51.100.1/32", "dev", "lo")
    run("ip", "-n", net.ns[1], "addr", "add", "203.0.113.1/32", "dev", "lo")
    run("ip", "-n", net.ns[0], "route", "add", "default", "via", addr("p1", False))
    run("ip", "-n", net.ns[1], "route", "add", "default", "via", addr("p1", True))
    osp = Ospreyd(net.ns[0], osprey_conf())
    ch = None
    try:
        ch = Charon(net.ns[1])
        t.ok("kernel-dryrun: no SA reaches the kernel" in osp.output(),
             "kernel-dryrun says loudly that nothing is installed", osp.output())
        for s in ("p1", "p2", "p3", "p4"):
            scenario_proposal(t, osp, ch, s)
        scenario_badpsk(t, osp, ch)
        scenario_mismatch(t, osp, ch)
        k = osp.kernel()
        t.ok(k.get("sas") == [] and k.get("policies") == [] and
             k["requests"]["add_sa"] == k["requests"]["del_sa"],
             "kernel-dryrun: every SA and policy added was deleted again", k)
    except Exception as e:  # a broken setup: report, do not hang
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
