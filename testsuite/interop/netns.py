"""Helpers for the interop tests: two network namespaces joined by a veth
pair, ospreyd (kernel-dryrun) in one of them, TAP output.  Names carry the
test's pid so parallel runs never clash; everything is removed at exit."""
import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
BUILD = os.environ.get("top_builddir", os.path.join(os.path.dirname(__file__), "..", ".."))
OSPREYD = os.path.abspath(os.path.join(BUILD, "daemon", "ospreyd"))
OSPREYCTL = os.path.abspath(os.path.join(BUILD, "daemon", "ospreyctl"))
os.environ.setdefault("ASAN_OPTIONS", "detect_leaks=1")


class Tap:
    def __init__(self, planned):
        self.n = 0
        self.failed = 0
        self.planned = planned
        print("1..%d" % planned, flush=True)

    def ok(self, cond, desc, diag=None):
        self.n += 1
        print("%s %d - %s" % ("ok" if cond else "not ok", self.n, desc), flush=True)
        if not cond:
            self.failed += 1
            if diag is not None:
                for line in str(diag).splitlines()[-40:]:
                    print("# " + line, flush=True)
        return cond

    def skip_rest(self, why):
        while self.n < self.planned:
            self.n += 1
            print("ok %d - # SKIP %s" % (self.n, why), flush=True)


def skip_all(why):
    print("1..0 # SKIP %s" % why, flush=True)
    sys.exit(0)


def run(*cmd, check=True, timeout=30):
    p = subprocess.run(list(cmd), capture_output=True, text=True, timeout=timeout)
    if check and p.returncode:
        raise RuntimeError("%s: %s%s" % (" ".join(cmd), p.stdout, p.stderr))
    return p


def wait_for(cond, timeout=10.0, step=0.1):
    end = time.time() + timeout
    while True:
        v = cond()
        if v or time.time() > end:
            return v
        time.sleep(step)


class Net:
    """Namespaces A and B, veth between them, addresses on each side."""

    def __init__(self, tag, addrs_a, addrs_b, ipv6=False):
        pid = os.getpid() % 100000
        self.ns = ("osp%s-a%d" % (tag, pid), "osp%s-b%d" % (tag, pid))
        self.veth = ("v%sa%d" % (tag, pid), "v%sb%d" % (tag, pid))
        atexit.register(self.cleanup)
        for ns in self.ns:
            run("ip", "netns", "del", ns, check=False)
            run("ip", "netns", "add", ns)
            v = "0" if ipv6 else "1"
            run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=" + v,
                "net.ipv6.conf.default.disable_ipv6=" + v)
            run("ip", "-n", ns, "link", "set", "lo", "up")
        run("ip", "link", "add", self.veth[0], "netns", self.ns[0], "type", "veth", "peer",
            "name", self.veth[1], "netns", self.ns[1])
        for i, addrs in enumerate((addrs_a, addrs_b)):
            for a in addrs:
                if ":" in a:
                    run("ip", "-n", self.ns[i], "addr", "add", a + "/64", "dev", self.veth[i],
                        "nodad")
                else:
                    run("ip", "-n", self.ns[i], "addr", "add", a + "/24", "dev", self.veth[i])
            run("ip", "-n", self.ns[i], "link", "set", self.veth[i], "up")

    def cleanup(self):
        for ns in self.ns:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)


class Ospreyd:
    """ospreyd in namespace ns with its own config, socket, pid file, log."""

    def __init__(self, ns, conf, name="osprey"):
        self.dir = tempfile.mkdtemp(prefix="osprey-interop-%s-" % name)
        self.conf = os.path.join(self.dir, "osprey.conf")
        self.sock = os.path.join(self.dir, "ctl")
        self.pidfile = os.path.join(self.dir, "pid")
        self.logfile = os.path.join(self.dir, "log")
        with open(self.conf, "w") as f:
            f.write(conf)
        self.log = open(self.logfile, "w+")
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", ns, OSPREYD, "-c", self.conf, "-s", self.sock,
             "-p", self.pidfile, "--user", "root"],
            stdout=self.log, stderr=subprocess.STDOUT)
        atexit.register(self.cleanup)
        if not wait_for(lambda: os.path.exists(self.sock) or self.proc.poll() is not None):
            raise RuntimeError("ospreyd did not start: " + self.output())
        if self.proc.poll() is not None:
            raise RuntimeError("ospreyd exited: " + self.output())

    def output(self):
        self.log.flush()
        with open(self.logfile) as f:
            return f.read()

    def ctl(self, *args):
        p = subprocess.run([OSPREYCTL, "--socket", self.sock] + list(args),
                           capture_output=True, text=True, timeout=30)
        return p.returncode, p.stdout, p.stderr

    def ctl_json(self, *args):
        rc, out, err = self.ctl("--json", *args)
        try:
            return json.loads(out)
        except ValueError:
            return {"ok": False, "unparsable": out, "stderr": err}

    def sas(self, conn=None):
        j = self.ctl_json("list-sas", *([conn] if conn else []))
        return j.get("result", {}).get("ike_sas", [])

    def kernel(self):
        return self.ctl_json("list-kernel").get("result", {})

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return self.proc.wait()

    def cleanup(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        if os.environ.get("KEEP_INTEROP"):
            print("# kept " + self.dir, flush=True)
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


def established(sas, conn):
    return [s for s in sas if s["conn"] == conn and s["state"] == "ESTABLISHED"]


def can_netns():
    if os.geteuid() != 0:
        return "needs root (network namespaces)"
    if not shutil.which("ip"):
        return "no ip(8) (iproute2)"
    if not shutil.which("sysctl"):
        return "no sysctl(8) (procps)"
    probe = "ospprobe%d" % os.getpid()
    p = subprocess.run(["ip", "netns", "add", probe], capture_output=True)
    if p.returncode:
        return "cannot create network namespaces: " + p.stderr.decode().strip()
    # Entering one needs a shared mount tree (a bare chroot has none).
    p = subprocess.run(["ip", "netns", "exec", probe, "true"], capture_output=True)
    subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    if p.returncode:
        return "cannot enter network namespaces: " + p.stderr.decode().strip()
    return None
