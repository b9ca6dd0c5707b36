"""A small raw IMAP client for tests that need the exact lines the server
sends (imaplib hides untagged order and some responses), plus helpers to
start an engine with IMAP listeners and fill mailboxes."""
import re
import smtplib
import socket
import ssl
import time

from mailroom_harness import Engine, free_port

PASSWORD = "correct horse battery"


def start_engine(tmp_path, plaintext=True, extra=()):
    ports = {"imap": free_port(), "imaps": free_port(), "pop3": 0, "pop3s": 0,
             "smtp": free_port(), "submission": 0, "smtps": 0}
    args = ["--set", "auth.failure_delay_ms=0", "--set", "server.hostname=mx.example.com"]
    if plaintext:
        args += ["--set", "auth.allow_plaintext=true"]
    e = Engine(tmp_path / "data", ports=ports, extra=args + list(extra)).start()
    c = e.client()
    c.call("domains.add", {"name": "example.com"})
    for u in ("ann", "bob"):
        c.call("users.add", {"address": f"{u}@example.com", "password": PASSWORD})
    c.close()
    return e


def deliver(engine, to, subject, body="Hello.\r\n", sender="carol@remote.test", headers=""):
    msg = (f"From: Carol <{sender}>\r\nTo: {to}\r\nSubject: {subject}\r\n"
           f"Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n{headers}\r\n{body}")
    with smtplib.SMTP("127.0.0.1", engine.ports["smtp"], timeout=30) as s:
        s.sendmail(sender, [to], msg.encode())


class Raw:
    def __init__(self, port, tls=False, timeout=20):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        if tls:
            self.sock = insecure_context().wrap_socket(self.sock)
        self.buf = b""
        self.n = 0
        self.greeting = self.line()

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        m = re.search(rb"\{(\d+)\}$", line)
        if m:  # a literal follows: keep it inside the line
            need = int(m.group(1))
            while len(self.buf) < need:
                self.buf += self.sock.recv(65536)
            line += b"\r\n" + self.buf[:need]
            self.buf = self.buf[need:]
            line += self.line()
        return line

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def cmd(self, text):
        """Sends a tagged command; returns (untagged lines, tagged line)."""
        self.n += 1
        tag = f"t{self.n}"
        self.send(f"{tag} {text}\r\n")
        return self.until(tag)

    def until(self, tag):
        untagged = []
        while True:
            line = self.line()
            if line.startswith(tag.encode() + b" "):
                return untagged, line[len(tag) + 1:].decode("utf-8", "replace")
            untagged.append(line.decode("utf-8", "replace"))

    def login(self, user="ann@example.com"):
        _, t = self.cmd(f'LOGIN {user} "{PASSWORD}"')
        assert t.startswith("OK"), t
        return self

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def insecure_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def wait_for(predicate, timeout=10.0):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False
