"""Independent peers for mail tests: a real DNS server (dnsmasq on a loopback
port) and a real SMTP server (aiosmtpd) that records what it receives and
answers by the recipient's local part."""
import os
import socket
import sqlite3
import subprocess
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from mailroom_harness import free_port


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Dnsmasq:
    """dnsmasq (Debian dnsmasq-base) answering for *.test on 127.0.0.1:port."""

    def __init__(self, mx=(), hosts=(), txt=(), extra=(), port=None):
        # port: a restart with other records keeps the port the engine asks.
        # A chosen port is free for UDP, but dnsmasq binds TCP on it too, which
        # a test running beside this one may hold: then try another port.
        for attempt in range(5):
            try:
                self._start(mx, hosts, txt, extra, port or free_udp_port())
                return
            except AssertionError as e:
                if port or "Address already in use" not in str(e) or attempt == 4:
                    raise

    def _start(self, mx, hosts, txt, extra, port):
        self.port = port
        args = ["/usr/sbin/dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                "--listen-address=127.0.0.1", "--bind-interfaces", f"--port={self.port}", "--pid-file",
                "--log-facility=-", "--local=/test/", "--local-ttl=1"]
        if os.geteuid() == 0:
            args.append("--user=root")
        for domain, host, pref in mx:
            args.append(f"--mx-host={domain},{host},{pref}")
        for name, addr in hosts:
            args.append(f"--host-record={name},{addr}")
        for name, text in txt:
            args.append(f"--txt-record={name},{text}")
        args += list(extra)
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 10
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("dnsmasq exited: " + self.proc.stderr.read().decode(errors="replace"))
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                try:
                    s.bind(("127.0.0.1", self.port))
                except OSError:
                    return  # dnsmasq holds the port: it is up
            time.sleep(0.05)
        raise AssertionError("dnsmasq did not start")

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class RecordingHandler:
    """Answers RCPT by local part: reject* -> 550, defer* -> 451 (defer-once*:
    only the first time), anything else 250; keeps every message."""

    def __init__(self, dsn=False):
        self.messages = []
        self.deferred = set()
        self.lock = threading.Lock()
        self.dsn = dsn
        self.dsn_params = []

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if self.dsn:
            responses.insert(-1, "250-DSN")
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 No such user here"
        if local.startswith("defer-once"):
            with self.lock:
                if address not in self.deferred:
                    self.deferred.add(address)
                    return "451 4.2.0 Try again later"
        elif local.startswith("defer"):
            return "451 4.2.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 Queued"


class DsnSMTP(SMTP):
    """aiosmtpd with the DSN extension (RFC 3461) advertised: it takes RET
    and ENVID on MAIL and NOTIFY and ORCPT on RCPT, and records them in the
    handler's dsn_params, which aiosmtpd alone would refuse with 555."""

    @staticmethod
    def _split(arg, names):
        kept, taken = [], {}
        for word in arg.split(" "):
            key, _, value = word.partition("=")
            if key.upper() in names and value:
                taken[key.upper()] = value
            else:
                kept.append(word)
        return " ".join(kept), taken

    async def smtp_MAIL(self, arg):
        arg, taken = self._split(arg or "", ("RET", "ENVID"))
        self.event_handler.dsn_params.append(("MAIL", taken))
        await super().smtp_MAIL(arg)

    async def smtp_RCPT(self, arg):
        arg, taken = self._split(arg or "", ("NOTIFY", "ORCPT"))
        self.event_handler.dsn_params.append(("RCPT", arg.split(">")[0].split("<")[-1].lower(), taken))
        await super().smtp_RCPT(arg)


class DsnController(Controller):
    def factory(self):
        return DsnSMTP(self.handler, **self.SMTP_kwargs)


class SmtpSink:
    def __init__(self, dsn=False):
        self.port = free_port()
        self.handler = RecordingHandler(dsn)
        controller = DsnController if dsn else Controller
        self.controller = controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    @property
    def messages(self):
        with self.handler.lock:
            return list(self.handler.messages)

    def wait_for(self, count, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.messages) >= count:
                return self.messages
            time.sleep(0.05)
        raise AssertionError(f"the remote server got {len(self.messages)} of {count} messages")

    def stop(self):
        self.controller.stop()


def mailbox_messages(data, user, mailbox="INBOX"):
    """(uid, subject, blob path) of the messages in a user's mailbox, read
    from the engine's database (read-only) like an IMAP client would list them."""
    db = sqlite3.connect(f"file:{data}/mailroom.db?mode=ro", uri=True, timeout=30)
    try:
        rows = db.execute(
            "SELECT m.uid, m.env_subject, m.blob_hash FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id"
            " JOIN users u ON u.id = b.user_id WHERE u.address = ? AND b.name = ? ORDER BY m.uid",
            (user, mailbox)).fetchall()
    finally:
        db.close()
    return [(uid, subject, f"{data}/blobs/{h[:2]}/{h[2:4]}/{h}") for uid, subject, h in rows]


def wait_for_mail(data, user, count, timeout=30, mailbox="INBOX"):
    deadline = time.time() + timeout
    while True:
        msgs = mailbox_messages(data, user, mailbox)
        if len(msgs) >= count or time.time() > deadline:
            return msgs
        time.sleep(0.05)
