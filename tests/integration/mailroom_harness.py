"""Test harness: starts the real mailroomd on a temporary data folder with
free loopback ports, and talks to it over its admin socket with an
independent Python client (framing per docs/admin-protocol.md)."""
import json
import os
import pathlib
import signal
import socket
import struct
import subprocess
import time

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = pathlib.Path(os.environ.get("MAILROOM_SOURCE_DIR", HERE.parent.parent))
MAILROOMD = os.environ.get("MAILROOMD", str(SOURCE / "build/dev/server/main/mailroomd"))
MAILROOMCTL = os.environ.get("MAILROOMCTL", str(SOURCE / "build/dev/server/ctl/mailroomctl"))
# The protocol version this checkout speaks (schema.json and protocol.h agree).
PROTOCOL = json.loads((SOURCE / "server/adminproto/schema.json").read_text(encoding="utf-8"))["version"]
SERVICES = ("smtp", "submission", "smtps", "imap", "imaps", "pop3", "pop3s")


_handed_out = set()


def free_port():
    """A loopback port nobody listens on now, never the same one twice in a
    test run (the kernel may offer a just-closed port again at once, and an
    engine gets several ports before it binds any)."""
    while True:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port


def frame(obj):
    """One admin protocol frame: 4-byte big-endian length + compact UTF-8 JSON."""
    body = json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return struct.pack(">I", len(body)) + body


class AdminClient:
    """A minimal, independent admin protocol client."""

    def __init__(self, path, hello=True, timeout=60):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buf = b""
        self.next_id = 1
        self.pushes = []
        if hello:
            r = self.request("hello", {"client": "pytest", "version": PROTOCOL}, id_=0)
            assert "result" in r, r

    def close(self):
        self.sock.close()

    def send_raw(self, data):
        self.sock.sendall(data)

    def send(self, method, params=None, id_=None, version=PROTOCOL):
        if id_ is None:
            id_ = self.next_id
            self.next_id += 1
        msg = {"v": version, "id": id_, "method": method}
        if params is not None:
            msg["params"] = params
        self.send_raw(frame(msg))
        return id_

    def read_message(self):
        """The next message (reply or push); None when the engine closed."""
        while True:
            if len(self.buf) >= 4:
                n = struct.unpack(">I", self.buf[:4])[0]
                if len(self.buf) >= 4 + n:
                    msg = json.loads(self.buf[4:4 + n])
                    self.buf = self.buf[4 + n:]
                    return msg
            try:
                chunk = self.sock.recv(1 << 20)
            except ConnectionResetError:
                # Closing a socket with unread input makes the kernel send
                # RST instead of FIN: the engine closed all the same.
                return None
            if not chunk:
                return None
            self.buf += chunk

    def reply(self):
        while True:
            m = self.read_message()
            if m is None or "event" not in m:
                return m
            self.pushes.append(m)

    def request(self, method, params=None, id_=None):
        self.send(method, params, id_)
        return self.reply()

    def call(self, method, params=None):
        r = self.request(method, params)
        assert r is not None, f"{method}: engine closed the connection"
        assert "result" in r, f"{method}: {r}"
        return r["result"]

    def error(self, method, params=None):
        r = self.request(method, params)
        assert r is not None, f"{method}: engine closed the connection"
        assert "error" in r, f"{method} should have failed: {r}"
        assert r["error"]["message"].strip(), r
        return r["error"]

    def list_all(self, method, params=None):
        params = dict(params or {})
        out, offset = [], 0
        while True:
            params.update(offset=offset, limit=1000)
            page = self.call(method, params)
            out += page["items"]
            offset += len(page["items"])
            if not page["items"] or offset >= page["total"]:
                return out


class Engine:
    def __init__(self, data, ports=None, extra=()):
        self.data = pathlib.Path(data)
        self.socket = str(self.data / "run" / "admin.sock")
        self.ports = ports or {s: 0 for s in SERVICES}
        self.extra = list(extra)
        self.proc = None
        self.stderr_path = self.data.parent / (self.data.name + ".stderr")

    def args(self):
        a = [MAILROOMD, "--data", str(self.data), "--set", "listen.address=127.0.0.1",
             "--set", "auth.scrypt_log2n=10"]
        for s, p in self.ports.items():
            a += ["--set", f"{s}.port={p}"]
        return a + self.extra

    def start(self, wait=True):
        with open(self.stderr_path, "ab") as stderr:
            self.proc = subprocess.Popen(self.args(), stdout=subprocess.DEVNULL, stderr=stderr)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout=20):
        """Polls until the admin socket answers hello; fails with the engine's stderr."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"mailroomd exited with {self.proc.returncode}: {self.stderr_text()}")
            try:
                AdminClient(self.socket, timeout=5).close()
                return
            except (OSError, AssertionError, TypeError):
                time.sleep(0.05)
        self.proc.kill()
        self.proc.wait()
        raise AssertionError(f"mailroomd did not answer hello within {timeout} s: {self.stderr_text()}")

    def stderr_text(self):
        try:
            return self.stderr_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def client(self, **kw):
        return AdminClient(self.socket, **kw)

    def stop(self, timeout=10):
        """SIGTERM, then the engine must exit 0 within timeout seconds."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                raise AssertionError(f"mailroomd did not exit within {timeout} s of SIGTERM: {self.stderr_text()}")
        assert proc.returncode == 0, f"mailroomd exited with {proc.returncode}: {self.stderr_text()}"

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc = None

    def restart(self):
        self.stop()
        return self.start()

    def rss_kib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

    def ctl(self, *args, input=None, socket_path=None):
        return subprocess.run([MAILROOMCTL, "--socket", socket_path or self.socket, *args], input=input,
                              capture_output=True, text=True, timeout=120)
