#!/usr/bin/env python3
"""SMTP ingest benchmark (run on purpose, not by ctest): messages per second
accepted (250 after fsync + commit) and delivered into local mailboxes, with
durability on, over 1, 10 and 50 concurrent sessions, for 4 KB and 100 KB
messages; the engine's peak memory (VmHWM) and the engine's CPU time (user
plus system) per delivered message.

    MAILROOMD=build/release/server/main/mailroomd tests/bench/bench_smtp.py [--messages N]
        [--target mailroomd|postfix|both]

Each session sends over one connection (EHLO once, then MAIL/RCPT/DATA per
message), like a busy upstream MTA. "Delivered" means filed into a mailbox
and gone from the queue.

--target postfix runs the same cases against Postfix delivering through
Dovecot LMTP into Maildir (postfix_peer.py: Debian's packages with their
default durability, on configurations of their own; needs root and
packaging/install-deps.sh --bench); --target both runs each case on both,
one after the other, and prints the ratio of delivered messages per second,
so that both meet the machine in the same state. For the peer, CPU time is
that of both process trees (with the children they reaped), and memory is
the sum of the processes' PSS at the end.

--client pipelined (the default) speaks SMTP over a plain socket with
PIPELINING (RFC 2920: MAIL, RCPT and DATA in one write, as Postfix sends
them) and the message bytes made once; --client smtplib uses Python's
smtplib, one command per round trip, which itself needs about 5 ms of CPU
per 100 KB message on this kind of machine and so competes with the engine
for the two cores."""
import argparse
import os
import pathlib
import smtplib
import socket
import sqlite3
import sys
import tempfile
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "integration"))
from mailroom_harness import Engine, free_port  # noqa: E402
from postfix_peer import PostfixDovecot  # noqa: E402
from procstat import proc_kib, tree_cpu_seconds  # noqa: E402


def counts(data):
    db = sqlite3.connect(f"file:{data}/mailroom.db?mode=ro", uri=True, timeout=60)
    try:
        delivered = db.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
        queued = db.execute("SELECT COUNT(*) FROM queue_messages").fetchone()[0]
        return delivered, queued
    finally:
        db.close()


class Pipelined:
    """A lean SMTP client: EHLO once, then per message one write of MAIL,
    RCPT and DATA, the three replies, the data, and the final reply."""

    def __init__(self, port, helo):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=120)
        self.replies = self.sock.makefile("rb")
        self.expect(220)
        self.sock.sendall(f"EHLO {helo}\r\n".encode())
        self.expect(250)

    def reply(self):
        while True:
            line = self.replies.readline(1000)
            if not line:
                raise ConnectionError("the server closed the connection")
            if line[3:4] != b"-":
                return int(line[:3]), line

    def expect(self, code):
        got, line = self.reply()
        if got != code:
            raise RuntimeError(f"expected {code}, got {line!r}")

    def send(self, sender, recipient, message):
        """message: bytes ending in CRLF, no line starting with a dot."""
        self.sock.sendall(f"MAIL FROM:<{sender}> SIZE={len(message)}\r\nRCPT TO:<{recipient}>\r\nDATA\r\n"
                          .encode())
        self.expect(250)
        self.expect(250)
        self.expect(354)
        self.sock.sendall(message + b".\r\n")
        self.expect(250)

    def close(self):
        self.sock.sendall(b"QUIT\r\n")
        self.expect(221)
        self.sock.close()


class MailroomTarget:
    """The engine on a temporary data folder, with the bench users."""

    name = "mailroomd"

    def __init__(self, folder, users, spam):
        self.port = free_port()
        ports = {s: 0 for s in ("submission", "smtps", "imap", "imaps", "pop3", "pop3s")}
        ports["smtp"] = self.port
        self.engine = Engine(pathlib.Path(folder) / "data", ports=ports,
                             extra=["--set", "log.level=warning", "--set", "log.stderr=false",
                                    "--set", "smtp.max_connections_per_ip=200",
                                    "--set", f"spam.enabled={'true' if spam else 'false'}"])
        self.users = users

    def start(self):
        self.engine.start()
        c = self.engine.client()
        c.call("domains.add", {"name": "example.com"})
        for i in range(self.users):
            c.call("users.add", {"address": f"user{i}@example.com", "password": "benchmark password"})
        c.close()
        return self

    def delivered(self):
        return counts(self.engine.data)

    def cpu_seconds(self):
        return tree_cpu_seconds(self.engine.proc.pid)

    def peak_kib(self):
        return proc_kib(self.engine.proc.pid, "status", "VmHWM:")

    def stop(self):
        self.engine.stop()


def run(target_name, sessions, size, total, users, spam=True, client="pipelined"):
    with tempfile.TemporaryDirectory() as tmp:
        if target_name == "postfix":
            target = PostfixDovecot(tmp, free_port())
        else:
            target = MailroomTarget(tmp, users, spam)
        port = target.port
        body = ("x" * 76 + "\r\n") * max(1, size // 78)
        per_session = total // sessions
        errors = []

        def pipelined(n):
            try:
                s = Pipelined(port, f"bench{n}.test")
                for i in range(per_session):
                    to = f"user{(n * per_session + i) % users}@example.com"
                    s.send("bench@outside.test", to, f"Subject: bench {n}-{i}\r\n\r\n{body}".encode())
                s.close()
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        def sender(n):
            try:
                with smtplib.SMTP("127.0.0.1", port, timeout=120) as s:
                    s.ehlo(f"bench{n}.test")
                    for i in range(per_session):
                        to = f"user{(n * per_session + i) % users}@example.com"
                        s.sendmail("bench@outside.test", [to],
                                   f"Subject: bench {n}-{i}\r\n\r\n{body}".encode())
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        try:
            target.start()  # a start that fails half-way is stopped too
            work = pipelined if client == "pipelined" else sender
            threads = [threading.Thread(target=work, args=(n,)) for n in range(sessions)]
            cpu_start = target.cpu_seconds()
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            accepted_s = time.perf_counter() - start
            sent = per_session * sessions
            while True:
                delivered, queued = target.delivered()
                if (delivered >= sent and queued == 0) or time.perf_counter() - start > 600:
                    break
                time.sleep(0.02)
            delivered_s = time.perf_counter() - start
            peak = target.peak_kib()
            cpu_ms = (target.cpu_seconds() - cpu_start) * 1000 / max(1, delivered)
        finally:
            target.stop()
        if errors:
            print(f"  errors: {errors[:3]}")
        return target.name, sent, sent / accepted_s, delivered / delivered_s, peak, cpu_ms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=2000)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--sizes", default="4,100", help="message sizes in KB, comma-separated")
    ap.add_argument("--sessions", default="1,10,50", help="concurrent sessions, comma-separated")
    ap.add_argument("--spam", choices=("on", "off"), default="on",
                    help="the spam filter on port 25 (spam.enabled); the network checks ask the system resolver")
    ap.add_argument("--client", choices=("pipelined", "smtplib"), default="pipelined",
                    help="the SMTP client in each session thread (see the module text)")
    ap.add_argument("--target", choices=("mailroomd", "postfix", "both"), default="mailroomd",
                    help="postfix: Postfix delivering through Dovecot LMTP into Maildir (postfix_peer.py); both: "
                         "each case on mailroomd, then on Postfix, and their ratio")
    args = ap.parse_args()
    targets = ["mailroomd", "postfix"] if args.target == "both" else [args.target]
    print(f"mailroomd: {os.environ.get('MAILROOMD', '(harness default)')}, spam filter {args.spam}, "
          f"client {args.client}")
    print(f"{'target':>15} {'size':>7} {'sessions':>8} {'messages':>8} {'accepted/s':>11} {'delivered/s':>12} "
          f"{'peak MiB':>9} {'CPU ms/msg':>11}")
    for size in (int(k) * 1024 for k in args.sizes.split(",")):
        for sessions in (int(n) for n in args.sessions.split(",")):
            total = args.messages if size < 50000 else max(sessions, args.messages // 4)
            rates = {}
            for name in targets:
                label, sent, acc, dlv, peak, cpu_ms = run(name, sessions, size, total, args.users,
                                                          args.spam == "on", args.client)
                rates[name] = dlv
                print(f"{label:>15} {size // 1024:>5}KB {sessions:>8} {sent:>8} {acc:>11.0f} {dlv:>12.0f} "
                      f"{peak / 1024:>9.0f} {cpu_ms:>11.2f}", flush=True)
            if len(rates) == 2:
                print(f"{'':>15} delivered/s mailroomd / postfix+dovecot: {rates['mailroomd'] / rates['postfix']:.2f}",
                      flush=True)


if __name__ == "__main__":
    main()
