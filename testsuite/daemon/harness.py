"""Shared helpers for the daemon tests: TAP output, a temporary ospreyd, and
ospreyctl calls. The tests run the real binaries from the build tree."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
BUILD = os.environ.get("top_builddir", ".")
OSPREYD = os.path.join(BUILD, "daemon", "ospreyd")
OSPREYCTL = os.path.join(BUILD, "daemon", "ospreyctl")

# The sanitizers' leak checker cannot follow a daemon that changed its uid.
os.environ.setdefault("ASAN_OPTIONS", "detect_leaks=1")


class Tap:
    def __init__(self, planned):
        self.n = 0
        self.failed = 0
        print("1..%d" % planned, flush=True)

    def ok(self, cond, desc, diag=None):
        self.n += 1
        print("%s %d - %s" % ("ok" if cond else "not ok", self.n, desc), flush=True)
        if not cond:
            self.failed += 1
            if diag is not None:
                for line in str(diag).splitlines():
                    print("# " + line, flush=True)
        return cond

    def skip(self, desc, why):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, desc, why), flush=True)


BASE_CONF = """
connections = {
  home = {
    remote_addrs = "198.51.100.1";
    local = { auth = "psk"; id = "me.example.org"; };
    remote = { auth = "psk"; id = "peer.example.org"; };
    children = { net = { local_ts = "10.1.0.0/16"; remote_ts = "10.2.0.0/16"; }; };
  };
  road = {
    local = { auth = "psk"; };
    remote = { auth = "psk"; id = "peer.example.org"; };
  };
};
secrets = { ike-peer = { id = "peer.example.org"; secret = "0123456789abcdef0123"; }; };
"""


class Daemon:
    def __init__(self, conf=BASE_CONF, env=None, args=(), wait=True):
        self.dir = tempfile.mkdtemp(prefix="osprey-test-")
        os.chmod(self.dir, 0o755)
        self.conf = os.path.join(self.dir, "osprey.conf")
        self.sock = os.path.join(self.dir, "ctl")
        self.write_conf(conf)
        e = dict(os.environ)
        e.pop("NOTIFY_SOCKET", None)
        e.pop("WATCHDOG_USEC", None)
        if env:
            e.update(env)
        cmd = [OSPREYD, "-c", self.conf, "-s", self.sock] + list(args)
        if os.geteuid() == 0 and "--user" not in args:
            cmd += ["--user", "root"]
        self.log = open(os.path.join(self.dir, "log"), "w+")
        self.proc = subprocess.Popen(cmd, env=e, stdout=self.log, stderr=subprocess.STDOUT)
        if wait:
            self.wait_ready()

    def write_conf(self, text):
        with open(self.conf, "w") as f:
            f.write(text)

    def wait_ready(self):
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("ospreyd exited: " + self.output())
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.sock)
            except OSError:
                s.close()
                time.sleep(0.05)
                continue
            # The socket exists before the IKE engine (kernel backend) and the
            # signal handlers are set up; an answer means the loop runs, so a
            # signal sent from now on is handled (not the default action).
            try:
                s.settimeout(max(deadline - time.time(), 1))
                request(s, {"command": "status"})
            except (OSError, ValueError):
                pass
            finally:
                s.close()
            return
        raise RuntimeError("ospreyd did not open its socket: " + self.output())

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def ctl(self, *args):
        p = subprocess.run([OSPREYCTL, "--socket", self.sock] + list(args),
                           capture_output=True, text=True, timeout=30)
        return p.returncode, p.stdout, p.stderr

    def ctl_json(self, *args):
        rc, out, err = self.ctl("--json", *args)
        try:
            return rc, json.loads(out)
        except ValueError:
            return rc, {"unparsable": out, "stderr": err}

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(5)
        s.connect(self.sock)
        return s

    def stop(self, sig=signal.SIGTERM, timeout=5):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = None
        return rc

    def cleanup(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def request(sock, obj_or_text):
    """Sends one line, returns the parsed reply line."""
    data = obj_or_text if isinstance(obj_or_text, (bytes, str)) else json.dumps(obj_or_text)
    if isinstance(data, str):
        data = data.encode()
    sock.sendall(data + b"\n")
    return read_reply(sock)


def read_reply(sock):
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buf += chunk
    return json.loads(buf.decode())
