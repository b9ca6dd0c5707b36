#!/usr/bin/env python3
"""IMAP benchmark (run on purpose, not by ctest): times SELECT, FETCH of all
UIDs and flags, header and body SEARCH and SORT on one large INBOX, the
APPEND rate over 1 and 4 connections, and the engine's RSS per idle
authenticated session (1,000 sessions with INBOX selected).

    tests/bench/bench_imap.py [--engine build/release/server/main/mailroomd] [--messages 100000]

The mailbox is filled with small varied messages (distinct subjects, senders,
dates and body text) by pipelined APPENDs with non-synchronizing literals
(LITERAL+) over several connections. Clients use the plain port with
auth.allow_plaintext on, so the figures measure the engine and not TLS."""
import argparse
import pathlib
import random
import resource
import socket
import sys
import tempfile
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))
import mailroom_harness  # noqa: E402
from mailroom_harness import Engine, free_port  # noqa: E402

PASSWORD = "benchmark password"
WORDS = ("alpha amber anchor apple arrow autumn badge baker basin beacon berry bishop blossom bramble breeze "
         "bridge bronze cabin candle canyon carbon cedar chalk cherry cider cinder clover cobalt comet copper "
         "coral cotton crane crystal dahlia delta desert dune eagle ember falcon fern fjord flint forest fossil "
         "galaxy garnet ginger glacier granite harbor hazel heron indigo island ivory jasper juniper kettle "
         "lagoon lantern laurel lemon lilac linen lotus magnet maple marble meadow mercury meteor mint mosaic "
         "nectar nickel oasis ocean olive onyx orchid otter paddle pebble pepper pilot pine planet plum quartz "
         "quill raven reef ribbon river robin saffron sage salmon sapphire shadow silver slate sparrow spruce "
         "summit tango thistle thunder timber topaz tulip tundra velvet violet walnut willow winter zephyr").split()
NAMES = ("Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth",
         "Frances Allen", "Ken Thompson", "Margaret Hamilton", "Dennis Ritchie", "Radia Perlman", "John McCarthy")
SUBJECT_WORD = "quartz"  # one word of the vocabulary: about 2.5% of subjects carry it
BODY_WORD = "zanzibar"  # only in bodies: about 1% of messages carry it


def make_message(i, rng):
    name = NAMES[rng.randrange(len(NAMES))]
    addr = name.lower().replace(" ", ".") + f"{rng.randrange(50)}@sender{rng.randrange(20)}.test"
    subject = " ".join(rng.choice(WORDS) for _ in range(3)) + f" #{i}"
    when = time.gmtime(1767225600 + rng.randrange(365 * 86400))  # some moment in 2026
    body_words = [rng.choice(WORDS) for _ in range(rng.randrange(20, 120))]
    if rng.random() < 0.01:
        body_words.insert(rng.randrange(len(body_words)), BODY_WORD)
    lines, line = [], []
    for w in body_words:
        line.append(w)
        if len(line) == 12:
            lines.append(" ".join(line))
            line = []
    lines.append(" ".join(line))
    return (f"From: {name} <{addr}>\r\nTo: Bench <bench@example.com>\r\nSubject: {subject}\r\n"
            f"Date: {time.strftime('%a, %d %b %Y %H:%M:%S +0000', when)}\r\n"
            f"Message-ID: <bench{i}.{rng.randrange(1 << 30)}@sender.test>\r\n"
            f"Content-Type: text/plain; charset=us-ascii\r\n\r\n" + "\r\n".join(lines) + "\r\n").encode()


class Client:
    """A line-level IMAP client on the plain port."""

    def __init__(self, port, user=None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=600)
        self.buf = b""
        self.n = 0
        assert self.line().startswith(b"* OK")
        if user:
            r = self.cmd(f'LOGIN {user} "{PASSWORD}"')[-1]
            assert b" OK " in r, r

    def line(self):
        while True:
            i = self.buf.find(b"\r\n")
            if i >= 0:
                line, self.buf = self.buf[:i], self.buf[i + 2:]
                return line
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("engine closed the connection")
            self.buf += chunk

    def cmd(self, text):
        """Sends a command; returns its lines (untagged ones included)."""
        self.n += 1
        tag = b"T%d" % self.n
        self.sock.sendall(tag + b" " + text.encode() + b"\r\n")
        out = []
        while True:
            line = self.line()
            out.append(line)
            if line.startswith(tag + b" "):
                if not line.startswith(tag + b" OK"):
                    raise RuntimeError(f"{text[:60]}: {line!r}")
                return out

    def append(self, messages, depth):
        """APPENDs with LITERAL+, keeping depth commands in flight."""
        pending = 0
        for k, msg in enumerate(messages):
            self.sock.sendall(b"A%d APPEND INBOX {%d+}\r\n" % (k, len(msg)) + msg + b"\r\n")
            pending += 1
            while pending >= depth or (k == len(messages) - 1 and pending):
                line = self.line()
                if line.startswith(b"A"):
                    if b" OK " not in line:
                        raise RuntimeError(f"APPEND: {line!r}")
                    pending -= 1

    def close(self):
        self.sock.close()


def append_parallel(port, user, messages, connections, depth):
    """Seconds to APPEND all messages over this many connections."""
    clients = [Client(port, user) for _ in range(connections)]
    errors = []

    def run(c, part):
        try:
            c.append(part, depth)
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=run, args=(c, messages[k::connections])) for k, c in enumerate(clients)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - start
    for c in clients:
        c.close()
    if errors:
        raise RuntimeError(errors[:3])
    return took


def timed(c, text):
    start = time.perf_counter()
    lines = c.cmd(text)
    return time.perf_counter() - start, lines


def count_hits(lines):
    for line in lines:
        if line.startswith(b"* SEARCH") or line.startswith(b"* SORT"):
            return len(line.split()) - 2
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--engine", default=str(mailroom_harness.SOURCE / "build/release/server/main/mailroomd"))
    ap.add_argument("--messages", type=int, default=100000)
    ap.add_argument("--sessions", type=int, default=1000, help="idle sessions for the RSS figure")
    ap.add_argument("--append", type=int, default=2000, help="messages for each APPEND-rate figure")
    args = ap.parse_args()
    mailroom_harness.MAILROOMD = args.engine
    # 1,000 client sockets here and as many in the engine (which inherits the limit).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, 4 * args.sessions + 1024))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))

    rng = random.Random(20261123)
    rows = []

    def row(what, seconds, detail=""):
        rows.append((what, seconds, detail))
        print(f"  {what:<40} {seconds:>9.3f} s  {detail}", flush=True)

    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        ports = {s: 0 for s in ("smtp", "submission", "smtps", "imaps", "pop3", "pop3s")}
        ports["imap"] = port
        engine = Engine(pathlib.Path(tmp) / "data", ports=ports,
                        extra=["--set", "log.level=warning", "--set", "log.stderr=false",
                               "--set", "auth.allow_plaintext=true", "--set", "auth.failure_delay_ms=0",
                               "--set", f"imap.max_connections={args.sessions + 100}",
                               "--set", f"imap.max_connections_per_ip={args.sessions + 100}"]).start()
        try:
            c = engine.client()
            c.call("domains.add", {"name": "example.com"})
            for u in ("bench", "rate1", "rate4", "idle"):
                c.call("users.add", {"address": f"{u}@example.com", "password": PASSWORD, "quotaMb": 0})
            c.close()
            print(f"mailroomd: {args.engine}")
            print(f"filling INBOX with {args.messages} messages ...", flush=True)
            msgs = [make_message(i, rng) for i in range(args.messages)]
            size = sum(map(len, msgs))
            took = append_parallel(port, "bench@example.com", msgs, 4, 32)
            row("fill: APPEND, 4 conns x 32 in flight", took, f"{args.messages / took:.0f} msg/s, "
                f"{size / took / 1e6:.1f} MB/s")
            del msgs

            b = Client(port, "bench@example.com")
            t, lines = timed(b, "SELECT INBOX")
            exists = next(int(x.split()[1]) for x in lines if x.endswith(b" EXISTS"))
            assert exists == args.messages, (exists, args.messages)
            row("SELECT INBOX (first)", t, f"{exists} messages")
            b.cmd("UNSELECT")
            t, _ = timed(b, "SELECT INBOX")
            row("SELECT INBOX (again)", t)
            t, lines = timed(b, "FETCH 1:* (UID FLAGS)")
            row("FETCH 1:* (UID FLAGS)", t, f"{len(lines) - 1} responses")
            t, lines = timed(b, f"UID SEARCH HEADER Subject {SUBJECT_WORD}")
            row(f"UID SEARCH HEADER Subject {SUBJECT_WORD}", t, f"{count_hits(lines)} hits")
            t, lines = timed(b, f"UID SEARCH BODY {BODY_WORD}")
            row(f"UID SEARCH BODY {BODY_WORD}", t, f"{count_hits(lines)} hits")
            t, lines = timed(b, f"UID SEARCH TEXT {BODY_WORD}")
            row(f"UID SEARCH TEXT {BODY_WORD}", t, f"{count_hits(lines)} hits")
            t, lines = timed(b, "SORT (DATE) UTF-8 ALL")
            row("SORT (DATE) UTF-8 ALL", t, f"{count_hits(lines)} ids")
            t, lines = timed(b, "SORT (REVERSE SUBJECT) UTF-8 ALL")
            row("SORT (REVERSE SUBJECT) UTF-8 ALL", t, f"{count_hits(lines)} ids")
            b.close()

            for user, conns in (("rate1@example.com", 1), ("rate4@example.com", 4)):
                batch = [make_message(args.messages + i, rng) for i in range(args.append)]
                took = append_parallel(port, user, batch, conns, 1)
                row(f"APPEND one at a time, {conns} conn{'s' if conns > 1 else ''}", took,
                    f"{len(batch) / took:.0f} msg/s")

            append_parallel(port, "idle@example.com", [make_message(i, rng) for i in range(100)], 1, 32)
            before = engine.rss_kib()
            start = time.perf_counter()
            sessions = []
            for _ in range(args.sessions):
                s = Client(port, "idle@example.com")
                s.cmd("SELECT INBOX")
                sessions.append(s)
            took = time.perf_counter() - start
            time.sleep(2)
            after = engine.rss_kib()
            row(f"{args.sessions} sessions: connect, LOGIN, SELECT", took,
                f"RSS {before / 1024:.0f} -> {after / 1024:.0f} MiB, "
                f"{(after - before) / max(1, args.sessions):.1f} KiB/session")
            for s in sessions:
                s.close()
        finally:
            engine.stop(timeout=60)

    print()
    print(f"{'operation':<40} {'seconds':>9}  detail")
    for what, seconds, detail in rows:
        print(f"{what:<40} {seconds:>9.3f}  {detail}")


if __name__ == "__main__":
    main()
