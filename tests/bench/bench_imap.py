#!/usr/bin/env python3
"""IMAP benchmark (run on purpose, not by ctest): times SELECT, FETCH of all
UIDs and flags, header and body SEARCH and SORT on one large INBOX, the
APPEND rate over 1 and 4 connections, and the server's RSS per idle
authenticated session (1,000 sessions with INBOX selected); on mailroomd,
Dovecot, or both for a side-by-side comparison on the same machine.

    tests/bench/bench_imap.py [--target mailroomd|dovecot|both] [--messages 100000]
                              [--engine build/release/server/main/mailroomd] [--dovecot /usr/sbin/dovecot]

    packaging/install-deps.sh --bench   # once, for --target dovecot|both (Debian's dovecot-imapd)
    tests/bench/bench_imap.py --target both

The mailbox is filled with small varied messages (distinct subjects, senders,
dates and body text) by pipelined APPENDs with non-synchronizing literals
(LITERAL+) over several connections. Clients use the plain port with
plaintext LOGIN allowed, so the figures measure the server and not TLS. Every
server gets the same client code, the same users and password, and the same
message set (one rng seed); each runs on its own temporary folder and free
loopback port, started and stopped by this script.

Dovecot runs as `dovecot -F -c CONFIG` with a config written into the
temporary folder (nothing of /etc/dovecot is read): IMAP only on 127.0.0.1,
no TLS, PLAIN/LOGIN allowed, users from a passwd-file, Maildir under the
temporary folder, no full-text search plugin (SEARCH BODY/TEXT read the
messages, as mailroomd does), and `mail_fsync = always`, so that an APPEND's
OK means the message is on disk, as with mailroomd, which fsyncs every APPEND.
Connection and process limits are raised so that --sessions idle sessions fit
(Dovecot runs one imap process per session). Dovecot refuses to access mail as
root, so when the benchmark runs as root the mail belongs to `nobody`, the
login processes run as `dovenull` and the internal ones as `dovecot` (users
made by the Debian package), and the temporary folder is made traversable
(0711) for them; as another user everything runs as that user. Its memory
figure is summed over the master and all its children (imap, imap-login,
auth, ...): RSS, which counts shared library pages once per process, and PSS,
which shares them out."""
import argparse
import grp
import os
import pathlib
import pwd
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "integration"))
import mailroom_harness  # noqa: E402
from mailroom_harness import Engine, free_port  # noqa: E402
from procstat import memory_kib, process_tree  # noqa: E402

PASSWORD = "benchmark password"
USERS = ("bench", "rate1", "rate4", "idle")  # @example.com
SEED = 20261123
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
        self.pos = 0
        self.n = 0
        assert self.line().startswith(b"* OK")
        if user:
            r = self.cmd(f'LOGIN {user} "{PASSWORD}"')[-1]
            assert b" OK " in r, r

    def line(self):
        # An offset into the buffer, not a slice per line: cutting the rest of
        # a large answer after each line would cost the client more than the
        # server's work and hide it.
        while True:
            i = self.buf.find(b"\r\n", self.pos)
            if i >= 0:
                line, self.pos = self.buf[self.pos:i], i + 2
                return line
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise ConnectionError("engine closed the connection")
            self.buf = self.buf[self.pos:] + chunk
            self.pos = 0

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


class Mailroomd:
    """mailroomd on a temporary data folder, IMAP on a free port and every other service off."""

    name = "mailroomd"

    def __init__(self, folder, args):
        self.binary = args.engine
        self.port = free_port()
        ports = {s: 0 for s in mailroom_harness.SERVICES}
        ports["imap"] = self.port
        limit = args.sessions + 100
        self.engine = Engine(folder / "data", ports=ports,
                             extra=["--set", "log.level=warning", "--set", "log.stderr=false",
                                    "--set", "auth.allow_plaintext=true", "--set", "auth.failure_delay_ms=0",
                                    "--set", f"imap.max_connections={limit}",
                                    "--set", f"imap.max_connections_per_ip={limit}"])

    def start(self):
        self.engine.start()
        c = self.engine.client()
        c.call("domains.add", {"name": "example.com"})
        for u in USERS:
            c.call("users.add", {"address": f"{u}@example.com", "password": PASSWORD, "quotaMb": 0})
        c.close()

    def describe(self):
        return self.binary

    def pid(self):
        return self.engine.proc.pid

    def stop(self):
        self.engine.stop(timeout=60)


class Dovecot:
    """Dovecot on a config of its own in a temporary folder (see the module docstring)."""

    name = "dovecot"

    def __init__(self, folder, args):
        self.binary = args.dovecot
        self.port = free_port()
        self.top = folder
        self.folder = folder / "dovecot"
        self.log = self.folder / "dovecot.log"
        self.limit = args.sessions + 100
        self.proc = None

    def accounts(self):
        """(mail uid, mail gid, login user, internal user, internal group); Dovecot never accesses mail as root."""
        if os.getuid() != 0:
            me = pwd.getpwuid(os.getuid()).pw_name
            return os.getuid(), os.getgid(), me, me, grp.getgrgid(os.getgid()).gr_name
        try:
            for user in ("dovenull", "dovecot"):
                pwd.getpwnam(user)
            grp.getgrnam("dovecot")
        except KeyError:
            raise SystemExit("dovecot: the users dovenull and dovecot are missing: install Dovecot with "
                             "packaging/install-deps.sh --bench") from None
        nobody = pwd.getpwnam("nobody")
        return nobody.pw_uid, nobody.pw_gid, "dovenull", "dovecot", "dovecot"

    def config(self, uid, gid, login_user, internal_user, internal_group):
        d = self.folder
        # Without root, Dovecot cannot chroot its login and anvil processes.
        no_chroot = "" if os.getuid() == 0 else "  chroot =\n"
        return f"""# Written by tests/bench/bench_imap.py for one benchmark run.
base_dir = {d}/run
state_dir = {d}/state
log_path = {self.log}
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {d}/users
}}
userdb {{
  driver = static
  args = home={d}/mail/%u
}}
mail_location = maildir:~/Maildir
mail_fsync = always
mail_uid = {uid}
mail_gid = {gid}
first_valid_uid = {uid}
first_valid_gid = {gid}
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
mail_max_userip_connections = {self.limit}
default_process_limit = {self.limit}
# anvil counts every imap-login and imap-urlauth-login process among its clients.
default_client_limit = {2 * self.limit + 100}
service imap-login {{
  inet_listener imap {{
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
  process_limit = {self.limit}
  client_limit = {self.limit}
{no_chroot}}}
service imap {{
  process_limit = {self.limit}
}}
service anvil {{
{no_chroot}}}
"""

    def start(self):
        uid, gid, *users = self.accounts()
        (self.folder / "mail").mkdir(parents=True)
        if os.getuid() == 0:
            os.chmod(self.top, 0o711)  # the auth and imap processes run as other users
            os.chown(self.folder / "mail", uid, gid)
        (self.folder / "users").write_text("".join(f"{u}@example.com:{{PLAIN}}{PASSWORD}::::::\n" for u in USERS))
        conf = self.folder / "dovecot.conf"
        conf.write_text(self.config(uid, gid, *users))
        self.proc = subprocess.Popen([self.binary, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"dovecot exited with {self.proc.returncode}: {self.log_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=5) as s:
                    if s.recv(1024).startswith(b"* OK"):
                        return
            except OSError:
                pass
            if time.time() > deadline:
                raise RuntimeError(f"dovecot did not greet within 20 s: {self.log_text()}")
            time.sleep(0.05)

    def prefill(self, user, messages):
        """Writes the messages straight into the user's Maildir/cur, named as
        Dovecot names them (with S=size), owned by the mail user; Dovecot
        indexes them at the first SELECT. Its APPEND fill slows to a few dozen
        messages a second past 50,000 (four connections take turns on the
        mailbox lock, each with mail_fsync=always), too slow for 100,000."""
        uid, gid, *_ = self.accounts()
        cur = self.folder / "mail" / user / "Maildir" / "cur"
        cur.mkdir(parents=True)
        for sub in ("new", "tmp"):
            (cur.parent / sub).mkdir()
        base = int(time.time()) - len(messages)
        for i, m in enumerate(messages):
            path = cur / f"{base + i}.M{i}P1.bench,S={len(m)}:2,"
            path.write_bytes(m)
            os.utime(path, (base + i, base + i))
        if os.getuid() == 0:
            for folder, dirs, files in os.walk(self.folder / "mail" / user):
                for name in (folder, *(os.path.join(folder, x) for x in dirs + files)):
                    os.chown(name, uid, gid)

    def log_text(self):
        try:
            return self.log.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def describe(self):
        version = subprocess.run([self.binary, "--version"], capture_output=True, text=True).stdout.strip()
        return f"{self.binary} {version}"

    def pid(self):
        return self.proc.pid

    def stop(self):
        """SIGTERM to the master, which ends its children; SIGKILL to all of them if it hangs."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        tree = process_tree(proc.pid)
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            for p in tree:
                try:
                    os.kill(p, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            proc.wait()
            raise RuntimeError(f"dovecot did not exit within 60 s of SIGTERM: {self.log_text()}")
        # Its complaints (limits too low, failed logins, ...), but not the SIGTERM that stopped it.
        for line in self.log.read_text(errors="replace").splitlines():
            if any(f" {level}: " in line for level in ("Warning", "Error", "Fatal")) and "signal 15" not in line:
                print(f"  dovecot log: {line}")


SERVERS = {cls.name: cls for cls in (Mailroomd, Dovecot)}


def run(server, args):
    """Every step on one server; returns rows of (operation, seconds, detail) and the idle-session memory."""
    rng = random.Random(SEED)
    rows = []

    def row(what, seconds, detail=""):
        rows.append((what, seconds, detail))
        print(f"  {what:<40} {seconds:>9.3f} s  {detail}", flush=True)

    port = server.port
    print(f"{server.name}: {server.describe()}")
    print(f"filling INBOX with {args.messages} messages ...", flush=True)
    msgs = [make_message(i, rng) for i in range(args.messages)]
    size = sum(map(len, msgs))
    if args.dovecot_fill == "maildir" and server.name == "dovecot":
        start = time.perf_counter()
        server.prefill("bench@example.com", msgs)
        row("fill: files written into Maildir/cur", time.perf_counter() - start, "not APPEND: see --dovecot-fill")
    else:
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
    time.sleep(1)  # Dovecot's imap processes of the closed connections exit
    before = memory_kib(server.pid())
    start = time.perf_counter()
    sessions = []
    try:
        for _ in range(args.sessions):
            s = Client(port, "idle@example.com")
            sessions.append(s)
            s.cmd("SELECT INBOX")
        took = time.perf_counter() - start
        time.sleep(2)
        after = memory_kib(server.pid())
    finally:
        for s in sessions:
            s.close()
    rss, pss = ((a - b) / max(1, args.sessions) for a, b in zip(after, before))
    memory = {"RSS": rss, "PSS": pss}
    row(f"{args.sessions} sessions: connect, LOGIN, SELECT", took,
        f"RSS {before[0] / 1024:.0f} -> {after[0] / 1024:.0f} MiB, {memory['RSS']:.1f} KiB/session "
        f"(PSS {memory['PSS']:.1f})")
    return rows, memory


def print_table(name, rows):
    print()
    print(f"{name + ' operation':<40} {'seconds':>9}  detail")
    for what, seconds, detail in rows:
        print(f"{what:<40} {seconds:>9.3f}  {detail}")


def print_comparison(results):
    """Seconds per operation, and idle-session memory, side by side (the last column: dovecot / mailroomd)."""
    (name_a, (rows_a, mem_a)), (name_b, (rows_b, mem_b)) = results.items()
    ratio = f"{name_b}/{name_a}"
    print()
    print(f"{'operation':<40} {name_a + ' s':>12} {name_b + ' s':>12} {ratio:>18}")
    for (what, a, _), (_, b, _) in zip(rows_a, rows_b):
        print(f"{what:<40} {a:>12.3f} {b:>12.3f} {b / a if a else float('nan'):>18.2f}")
    for kind in mem_a:
        a, b = mem_a[kind], mem_b[kind]
        print(f"{'idle session ' + kind + ', KiB/session':<40} {a:>12.1f} {b:>12.1f} "
              f"{b / a if a else float('nan'):>18.2f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--target", choices=(*SERVERS, "both"), default="mailroomd", help="which server to measure")
    ap.add_argument("--engine", default=str(mailroom_harness.SOURCE / "build/release/server/main/mailroomd"))
    ap.add_argument("--dovecot", default=shutil.which("dovecot") or "/usr/sbin/dovecot")
    ap.add_argument("--messages", type=int, default=100000)
    ap.add_argument("--sessions", type=int, default=1000, help="idle sessions for the memory figure")
    ap.add_argument("--append", type=int, default=2000, help="messages for each APPEND-rate figure")
    ap.add_argument("--dovecot-fill", choices=("append", "maildir"), default="append",
                    help="fill Dovecot's INBOX by APPEND like mailroomd's, or by writing its Maildir files "
                         "(its first SELECT then indexes them)")
    args = ap.parse_args()
    mailroom_harness.MAILROOMD = args.engine
    targets = list(SERVERS) if args.target == "both" else [args.target]
    if "dovecot" in targets and not os.access(args.dovecot, os.X_OK):
        ap.error(f"{args.dovecot} not found: install Dovecot with packaging/install-deps.sh --bench")
    # 1,000 client sockets here and as many in the server (which inherits the limit).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, max(soft, 4 * args.sessions + 1024))
    resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))

    results = {}
    for name in targets:
        with tempfile.TemporaryDirectory() as tmp:
            server = SERVERS[name](pathlib.Path(tmp), args)
            try:
                server.start()
                results[name] = run(server, args)
            finally:
                server.stop()
        print()

    for name, (rows, _) in results.items():
        print_table(name, rows)
    if len(results) > 1:
        print_comparison(results)


if __name__ == "__main__":
    main()
