"""IMAP (RFC 9051, 3501, 7888, 2595) seen by independent peers: mbsync (isync
1.4) syncing a Maildir both ways over imaps and STARTTLS, curl, openssl
s_client, Python's imaplib and raw sockets that probe the bounds an outsider
controls (line length, literal size, nesting, error count) and the STARTTLS
rules (LOGINDISABLED, no command injection across the TLS boundary).

One engine serves the whole module; each test uses its own user so that the
tests stay independent. The engine talks to the Internet: every test here is
what a hostile or merely unusual client can do."""
import base64
import imaplib
import os
import re
import select
import socket
import ssl
import subprocess
import time

import pytest

from conftest import PASSWORD
from mailroom_harness import Engine, free_port

MAILDIR_FLAGS = {"D": "\\Draft", "F": "\\Flagged", "R": "\\Answered", "S": "\\Seen", "T": "\\Deleted"}
LETTERS = {v: k for k, v in MAILDIR_FLAGS.items()}


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def start_engine(data, users=()):
    ports = {s: 0 for s in ("pop3", "pop3s", "submission", "smtps")}
    ports.update(imap=free_port(), imaps=free_port(), smtp=free_port())
    e = Engine(data, ports=ports,
               extra=["--set", "auth.failure_delay_ms=0", "--set", "server.hostname=mx.example.com",
                      "--set", "auth.max_failures_per_ip=1000", "--set", "auth.max_failures_per_user=1000"]).start()
    c = e.client()
    c.call("domains.add", {"name": "example.com"})
    for u in users:
        c.call("users.add", {"address": f"{u}@example.com", "password": PASSWORD})
    c.close()
    return e


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """imap, imaps and smtp on free ports; auth.allow_plaintext stays off."""
    e = start_engine(tmp_path_factory.mktemp("imap_peers") / "data",
                     users=("ann", "sync", "scram", "carol", "dave"))
    c = e.client()
    # curl picks CRAM-MD5 when offered; carol opted in (a new password stores the secret).
    c.call("users.update", {"address": "carol@example.com", "cramMd5": True})
    c.call("users.passwd", {"address": "carol@example.com", "password": PASSWORD})
    c.close()
    yield e
    e.stop()


def set_setting(engine, name, value):
    c = engine.client()
    c.call("settings.set", {"name": name, "value": str(value)})
    c.close()


class Raw:
    """A line-level IMAP client on a plain or TLS socket."""

    def __init__(self, port, tls=False, timeout=60):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        if tls:
            self.sock = tls_context().wrap_socket(self.sock, server_hostname="mx.example.com")
        self.tls = tls
        self.buf = b""

    def line(self):
        """The next line without CRLF; None at end of stream."""
        while b"\r\n" not in self.buf:
            try:
                chunk = self.sock.recv(65536)
            except OSError:  # a reset counts as the end of the stream
                chunk = b""
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def cmd(self, text):
        """Sends one tagged command; returns all lines up to its tagged answer."""
        if isinstance(text, str):
            text = text.encode()
        tag = text.split(b" ", 1)[0]
        self.sock.sendall(text + b"\r\n")
        out = []
        while True:
            line = self.line()
            assert line is not None, f"connection closed during {text[:60]!r}: {out}"
            out.append(line)
            if line.startswith(tag + b" "):
                return out

    def login(self, user):
        assert self.line().startswith(b"* OK")
        assert self.cmd(f'L LOGIN {user} "{PASSWORD}"')[-1].startswith(b"L OK")
        return self

    def close(self):
        self.sock.close()


def message(mid, subject, body="Hello.\r\n"):
    return (f"From: Peer <peer@outside.test>\r\nTo: someone@example.com\r\nSubject: {subject}\r\n"
            f"Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: {mid}\r\n\r\n{body}").encode()


def append_many(port, user, messages, depth=32):
    """APPENDs each message over one imaps connection with non-synchronizing
    literals (LITERAL+), keeping `depth` commands in flight."""
    c = Raw(port, tls=True).login(user)
    pending = 0
    for i, msg in enumerate(messages):
        c.sock.sendall(b"A%d APPEND INBOX {%d+}\r\n" % (i, len(msg)) + msg + b"\r\n")
        pending += 1
        while pending >= depth or (i == len(messages) - 1 and pending):
            line = c.line()
            assert line is not None, "engine closed the connection during APPEND"
            if line.startswith(b"A"):
                assert line.split()[1] == b"OK", line
                pending -= 1
    c.cmd("Z LOGOUT")
    c.close()


def imap_ssl(engine, user):
    m = imaplib.IMAP4_SSL("127.0.0.1", engine.ports["imaps"], ssl_context=tls_context(), timeout=120)
    m.login(f"{user}@example.com", PASSWORD)
    return m


# --- mbsync ----------------------------------------------------------------

def mbsyncrc(engine, root, user, starttls=False, mechs="LOGIN"):
    (root / "mail").mkdir(parents=True, exist_ok=True)
    cfg = root / "mbsyncrc"
    port = engine.ports["imap" if starttls else "imaps"]
    cfg.write_text(f"""IMAPAccount server
Host 127.0.0.1
Port {port}
User {user}@example.com
Pass "{PASSWORD}"
SSLType {"STARTTLS" if starttls else "IMAPS"}
SystemCertificates no
CertificateFile {engine.data / "tls" / "cert.pem"}
AuthMechs {mechs}
Timeout 300

IMAPStore far
Account server

MaildirStore near
Path {root}/mail/
Inbox {root}/mail/INBOX

Channel inbox
Far :far:INBOX
Near :near:INBOX
Create Both
Expunge Both
Sync Pull Push
SyncState *
""")
    return cfg


def mbsync(cfg):
    r = subprocess.run(["mbsync", "-c", str(cfg), "-V", "inbox"], capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, f"mbsync failed ({r.returncode}):\n{r.stdout[-4000:]}\n{r.stderr[-4000:]}"
    return r


def header_message_id(data):
    m = re.search(rb"^Message-ID:[ \t]*(<[^>\r\n]+>)", data, re.I | re.M)
    assert m, data[:300]
    return m.group(1).decode()


def maildir_files(box):
    """Message-ID -> path of every message in the Maildir folder."""
    out = {}
    for sub in ("new", "cur"):
        for p in (box / sub).iterdir():
            mid = header_message_id(p.read_bytes())
            assert mid not in out, f"{mid} twice in the Maildir: {out[mid]} and {p}"
            out[mid] = p
    return out


def maildir_flags(path):
    info = path.name.split(":2,", 1)[1] if ":2," in path.name else ""
    return frozenset(MAILDIR_FLAGS[c] for c in info if c in MAILDIR_FLAGS)


def set_maildir_flags(path, flags):
    """Renames the file into cur/ with the Maildir info for flags (letters in ASCII order)."""
    base = path.name.split(":2,", 1)[0]
    info = "".join(sorted(LETTERS[f] for f in flags))
    target = path.parent.parent / "cur" / f"{base}:2,{info}"
    path.rename(target)
    return target


def maildir_state(box):
    return {mid: maildir_flags(p) for mid, p in maildir_files(box).items()}


def server_messages(m):
    """Message-ID -> (uid, flags) of the selected mailbox, per imaplib."""
    # imaplib files unsolicited FETCH (flag changes by mbsync, seen at NOOP)
    # with the answer to the next FETCH: take them first, then forget them.
    assert m.noop()[0] == "OK"
    m.untagged_responses.clear()
    typ, data = m.uid("FETCH", "1:*", "(UID FLAGS)")
    assert typ == "OK", data
    flags = {}
    for item in data:
        if item is None:
            continue
        text = item[0] if isinstance(item, tuple) else item
        assert re.search(rb"UID (\d+)", text), (text, data[:5])
        uid = int(re.search(rb"UID (\d+)", text).group(1))
        fl = re.search(rb"FLAGS \(([^)]*)\)", text).group(1).decode().split()
        flags[uid] = frozenset(f for f in fl if f != "\\Recent")
    typ, data = m.uid("FETCH", "1:*", "(UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
    assert typ == "OK", data
    out = {}
    for item in data:
        if isinstance(item, tuple):
            uid = int(re.search(rb"UID (\d+)", item[0]).group(1))
            mid = header_message_id(item[1])
            assert mid not in out, f"{mid} twice on the server"
            out[mid] = (uid, flags[uid])
    assert len(out) == len(flags), (len(out), len(flags))
    return out


def server_state(m):
    return {mid: fl for mid, (_, fl) in server_messages(m).items()}


def store(m, uids, op, flags):
    if uids:
        typ, data = m.uid("STORE", ",".join(map(str, uids)), op, f"({' '.join(flags)})")
        assert typ == "OK", data


def assert_converged(m, box, expected):
    near, far = maildir_state(box), server_state(m)
    assert len(near) == len(far) == len(expected), (len(near), len(far), len(expected))
    only_near = {k: v for k, v in near.items() if far.get(k) != v}
    only_far = {k: v for k, v in far.items() if near.get(k) != v}
    assert not only_near and not only_far, (sorted(only_near.items())[:10], sorted(only_far.items())[:10])
    wrong = {k: (v, expected.get(k)) for k, v in far.items() if expected.get(k) != v}
    assert not wrong, sorted(wrong.items())[:10]


def mid(i):
    return f"<m{i}@peers.test>"


def test_mbsync_two_way_sync_of_1000_messages(engine, tmp_path):
    n = 1000
    append_many(engine.ports["imaps"], "sync@example.com",
                [message(mid(i), f"sync {i}", f"Body of message {i}.\r\n") for i in range(n)])
    cfg = mbsyncrc(engine, tmp_path, "sync")
    box = tmp_path / "mail" / "INBOX"
    mbsync(cfg)
    files = maildir_files(box)
    assert len(files) == n and set(files) == {mid(i) for i in range(n)}
    # mbsync stores LF line ends and adds its own X-TUID header.
    sample = re.sub(rb"(?m)^X-TUID: .*\n", b"", files[mid(7)].read_bytes())
    assert sample == message(mid(7), "sync 7", "Body of message 7.\r\n").replace(b"\r\n", b"\n")
    expected = {mid(i): frozenset() for i in range(n)}

    m = imap_ssl(engine, "sync")
    assert m.select("INBOX")[1] == [b"%d" % n]
    assert_converged(m, box, expected)

    # Near side: flags by renaming, deletions by unlinking, two new messages.
    for i, flags in [(i, {"\\Seen"}) for i in range(0, 50)] + [(i, {"\\Flagged"}) for i in range(50, 100)] + \
                    [(i, {"\\Seen", "\\Flagged"}) for i in range(100, 120)]:
        set_maildir_flags(files[mid(i)], flags)
        expected[mid(i)] = frozenset(flags)
    for i in range(120, 150):
        files[mid(i)].unlink()
        del expected[mid(i)]
    (box / "new" / "1795000000.local1.peers").write_bytes(message("<local1@peers.test>", "written locally"))
    (box / "cur" / "1795000000.local2.peers:2,FS").write_bytes(message("<local2@peers.test>", "read locally"))
    expected["<local1@peers.test>"] = frozenset()
    expected["<local2@peers.test>"] = frozenset({"\\Seen", "\\Flagged"})

    # Far side: STORE, EXPUNGE and a new message.
    uid = {k: u for k, (u, _) in server_messages(m).items()}
    for rng, flags in ((range(200, 250), ["\\Seen"]), (range(250, 300), ["\\Flagged"]),
                       (range(300, 310), ["\\Answered"])):
        store(m, [uid[mid(i)] for i in rng], "+FLAGS", flags)
        for i in rng:
            expected[mid(i)] = frozenset(flags)
    store(m, [uid[mid(i)] for i in range(400, 430)], "+FLAGS.SILENT", ["\\Deleted"])
    assert m.expunge()[0] == "OK"
    for i in range(400, 430):
        del expected[mid(i)]
    typ, data = m.append("INBOX", "(\\Flagged)", None, message("<far1@peers.test>", "appended on the server"))
    assert typ == "OK", data
    expected["<far1@peers.test>"] = frozenset({"\\Flagged"})

    mbsync(cfg)
    assert len(expected) == n - 60 + 3
    assert_converged(m, box, expected)
    pushed = server_messages(m)["<local2@peers.test>"][0]
    typ, data = m.uid("FETCH", str(pushed), "(BODY.PEEK[])")
    assert typ == "OK" and isinstance(data[0], tuple), data
    assert re.sub(rb"(?m)^X-TUID: .*\r\n", b"", data[0][1]) == message("<local2@peers.test>", "read locally")

    # Flags taken away on each side travel too.
    uid = {k: u for k, (u, _) in server_messages(m).items()}
    store(m, [uid[mid(i)] for i in range(0, 10)], "-FLAGS", ["\\Seen"])
    for i in range(0, 10):
        expected[mid(i)] = frozenset()
    files = maildir_files(box)
    for i in range(250, 260):
        set_maildir_flags(files[mid(i)], set())
        expected[mid(i)] = frozenset()
    files["<local1@peers.test>"].unlink()
    del expected["<local1@peers.test>"]
    mbsync(cfg)
    assert_converged(m, box, expected)
    # A further run finds nothing to do.
    mbsync(cfg)
    assert_converged(m, box, expected)
    m.logout()


def test_mbsync_starttls_with_scram_sha_256(engine, tmp_path):
    """Cyrus SASL's SCRAM-SHA-256 (through mbsync) after STARTTLS on the plain port."""
    append_many(engine.ports["imaps"], "scram@example.com", [message(f"<s{i}@peers.test>", f"s{i}") for i in range(5)])
    cfg = mbsyncrc(engine, tmp_path, "scram", starttls=True, mechs="SCRAM-SHA-256")
    r = mbsync(cfg)
    assert "SCRAM-SHA-256" in r.stdout + r.stderr
    box = tmp_path / "mail" / "INBOX"
    assert set(maildir_files(box)) == {f"<s{i}@peers.test>" for i in range(5)}
    (box / "new" / "1795000000.up.peers").write_bytes(message("<up@peers.test>", "pushed over STARTTLS"))
    mbsync(cfg)
    m = imap_ssl(engine, "scram")
    m.select("INBOX")
    assert "<up@peers.test>" in server_state(m)
    m.logout()


# --- curl ------------------------------------------------------------------

def curl(*args):
    return subprocess.run(["curl", "-sS", "--max-time", "60", *args], capture_output=True, timeout=120)


def test_curl_lists_fetches_and_appends(engine, tmp_path):
    msgs = [message(f"<c{i}@peers.test>", f"curl {i}", f"Body of curl message {i}.\r\n") for i in range(3)]
    append_many(engine.ports["imaps"], "carol@example.com", msgs)
    imaps = f"imaps://127.0.0.1:{engine.ports['imaps']}"
    imap = f"imap://127.0.0.1:{engine.ports['imap']}"
    auth = ["-u", f"carol@example.com:{PASSWORD}"]

    r = curl("-k", *auth, f"{imaps}/")  # CRAM-MD5, curl's first choice
    assert r.returncode == 0, r.stderr
    for box in ("INBOX", "Sent", "Drafts", "Trash", "Junk", "Archive"):
        assert re.search(rb'^\* LIST \([^)]*\) "/" "?%s"?\r?$' % box.encode(), r.stdout, re.M), r.stdout
    r = curl("-k", *auth, f"{imaps}/INBOX")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(b"* LIST") and b"INBOX" in r.stdout
    r = curl("-k", *auth, f"{imaps}/INBOX?ALL")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [b"*", b"SEARCH", b"1", b"2", b"3"], r.stdout
    r = curl("-k", *auth, f"{imaps}/INBOX;UID=1")
    assert r.returncode == 0, r.stderr
    assert r.stdout == msgs[0]
    r = curl("-k", *auth, "--login-options", "AUTH=PLAIN", f"{imaps}/INBOX;UID=3;SECTION=TEXT")
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"Body of curl message 2.\r\n"

    # STARTTLS on the plain port.
    r = curl("--ssl-reqd", "-k", *auth, f"{imap}/INBOX;UID=2")
    assert r.returncode == 0, r.stderr
    assert r.stdout == msgs[1]
    # Upload (APPEND), then read it back with another client.
    up = tmp_path / "up.eml"
    up.write_bytes(message("<curl-up@peers.test>", "uploaded by curl"))
    r = curl("--ssl-reqd", "-k", *auth, "--login-options", "AUTH=LOGIN", "-T", str(up), f"{imap}/INBOX")
    assert r.returncode == 0, r.stderr
    m = imap_ssl(engine, "carol")
    m.select("INBOX", readonly=True)
    assert server_state(m)["<curl-up@peers.test>"] == frozenset({"\\Seen"})  # curl APPENDs with (\Seen)
    m.logout()

    # Without TLS, with auth.allow_plaintext off, no login goes through (dave
    # has not opted in to CRAM-MD5, so nothing but a cleartext password is left).
    for opts in ([], ["--login-options", "AUTH=PLAIN"], ["--login-options", "AUTH=LOGIN"]):
        r = curl(*opts, "-u", f"dave@example.com:{PASSWORD}", f"{imap}/INBOX")
        assert r.returncode == 67, (opts, r.returncode, r.stderr)  # CURLE_LOGIN_DENIED
        assert r.stdout == b""


# --- STARTTLS --------------------------------------------------------------

def test_commands_pipelined_with_starttls_are_discarded(engine):
    c = Raw(engine.ports["imap"])
    greeting = c.line()
    assert greeting.startswith(b"* OK") and b"STARTTLS" in greeting
    # Command injection (CVE-2011-0411; for IMAP servers see "NO STARTTLS",
    # USENIX Security 2021): what follows STARTTLS in the same packet must
    # not be answered inside TLS.
    c.sock.sendall(b"a STARTTLS\r\nb CAPABILITY\r\n")
    assert c.line().startswith(b"a OK")
    assert c.buf == b""
    tls = tls_context().wrap_socket(c.sock, server_hostname="mx.example.com")
    assert tls.version() in ("TLSv1.2", "TLSv1.3")
    tls.settimeout(2)
    with pytest.raises((socket.timeout, ssl.SSLError)):
        got = tls.recv(1000)
        pytest.fail(f"answer inside TLS to a command sent in clear: {got!r}")
    tls.settimeout(30)
    c.sock = tls
    lines = c.cmd("c CAPABILITY")
    caps = lines[0].split()
    assert lines[0].startswith(b"* CAPABILITY") and lines[-1].startswith(b"c OK"), lines
    assert b"STARTTLS" not in caps and b"LOGINDISABLED" not in caps and b"AUTH=PLAIN" in caps
    assert not any(line.startswith(b"b ") for line in lines), lines
    assert c.cmd(f'd LOGIN ann@example.com "{PASSWORD}"')[-1].startswith(b"d OK")
    c.close()


def test_second_starttls_is_refused(engine):
    c = Raw(engine.ports["imap"])
    c.line()
    assert c.cmd("a STARTTLS")[-1].startswith(b"a OK")
    c.sock = tls_context().wrap_socket(c.sock, server_hostname="mx.example.com")
    assert c.cmd("b STARTTLS")[-1].split()[1] in (b"BAD", b"NO")
    assert c.cmd("c NOOP")[-1].startswith(b"c OK")
    c.close()


def test_openssl_s_client_starttls_imap(engine):
    r = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{engine.ports['imap']}", "-starttls", "imap",
                        "-brief", "-ign_eof"],
                       input="a CAPABILITY\r\nb LOGOUT\r\n", capture_output=True, text=True, timeout=60)
    out = r.stdout + r.stderr
    assert "CONNECTION ESTABLISHED" in out, out
    assert "Protocol version: TLSv1.3" in out or "Protocol version: TLSv1.2" in out, out
    caps = [line for line in r.stdout.splitlines() if line.startswith("* CAPABILITY")]
    assert caps and "STARTTLS" not in caps[-1].split() and "AUTH=PLAIN" in caps[-1].split(), r.stdout
    assert "b OK" in r.stdout


# --- LOGINDISABLED ---------------------------------------------------------

def test_logindisabled_without_tls(engine):
    c = Raw(engine.ports["imap"])
    assert b"LOGINDISABLED" in c.line()
    lines = c.cmd("a CAPABILITY")
    caps = lines[0].split()
    assert b"LOGINDISABLED" in caps and b"STARTTLS" in caps
    assert b"AUTH=PLAIN" not in caps and b"AUTH=LOGIN" not in caps
    r = c.cmd(f'b LOGIN ann@example.com "{PASSWORD}"')[-1]
    assert r.startswith(b"b NO"), r
    # Not even through SASL PLAIN with an initial response.
    ir = base64.b64encode(f"\0ann@example.com\0{PASSWORD}".encode()).decode()
    r = c.cmd(f"c AUTHENTICATE PLAIN {ir}")[-1]
    assert r.split()[1] in (b"NO", b"BAD"), r
    assert c.cmd("d SELECT INBOX")[-1].split()[1] in (b"NO", b"BAD")
    c.close()

    # imaplib after STARTTLS: LOGINDISABLED is gone and LOGIN works.
    m = imaplib.IMAP4("127.0.0.1", engine.ports["imap"], timeout=60)
    assert "LOGINDISABLED" in m.capabilities
    with pytest.raises(imaplib.IMAP4.error):
        m.login("ann@example.com", PASSWORD)
    m.starttls(ssl_context=tls_context())
    assert "LOGINDISABLED" not in m.capabilities and "STARTTLS" not in m.capabilities
    assert m.login("ann@example.com", PASSWORD)[0] == "OK"
    m.logout()

    # With auth.allow_plaintext the plain port takes a LOGIN.
    set_setting(engine, "auth.allow_plaintext", "true")
    try:
        m = imaplib.IMAP4("127.0.0.1", engine.ports["imap"], timeout=60)
        assert "LOGINDISABLED" not in m.capabilities
        assert m.login("ann@example.com", PASSWORD)[0] == "OK"
        m.logout()
    finally:
        set_setting(engine, "auth.allow_plaintext", "false")


# --- Bounds ----------------------------------------------------------------

def assert_alive(engine):
    c = Raw(engine.ports["imap"], timeout=30)
    assert c.line().startswith(b"* OK")
    assert c.cmd("n NOOP")[-1].startswith(b"n OK")
    c.close()


def test_megabyte_line_without_crlf(engine):
    c = Raw(engine.ports["imap"])
    c.line()
    try:
        c.sock.sendall(b"a NOOP " + b"x" * (1 << 20))
    except (BrokenPipeError, ConnectionResetError):
        pass  # closing on an overlong line is allowed too
    line = c.line()
    assert line is not None and b" BAD " in line + b" ", line
    # The rest of that line is dropped; the connection then goes on.
    c.sock.sendall(b"y" * 1000 + b"\r\n")
    assert c.cmd("b NOOP")[-1].startswith(b"b OK")
    c.close()
    assert_alive(engine)


def test_deep_nesting_gets_bad(engine):
    c = Raw(engine.ports["imap"])
    c.line()
    for tag, text in ((b"a", b"X " + b"(" * 1000 + b")" * 1000),
                      (b"b", b"CAPABILITY " + b"(" * 1000 + b")" * 1000)):
        assert c.cmd(tag + b" " + text)[-1].startswith(tag + b" BAD")
    c.close()
    c = Raw(engine.ports["imaps"], tls=True).login("ann@example.com")
    assert c.cmd("s SELECT INBOX")[-1].startswith(b"s OK")
    for tag, text in ((b"c", b"SEARCH " + b"(" * 1000 + b"ALL" + b")" * 1000),
                      (b"d", b"SEARCH " + b"NOT " * 1000 + b"ALL"),
                      (b"e", b"FETCH 1:* " + b"(" * 1000 + b"FLAGS" + b")" * 1000),
                      (b"f", b"SEARCH " + b"(" * 30000 + b"ALL" + b")" * 30000)):
        assert c.cmd(tag + b" " + text)[-1].startswith(tag + b" BAD"), text[:40]
    assert c.cmd("g NOOP")[-1].startswith(b"g OK")
    c.close()
    assert_alive(engine)


def test_too_many_bad_commands_close_the_connection(engine):
    c = Raw(engine.ports["imap"])
    c.line()
    c.sock.sendall(b"".join(b"t%d BOGUS\r\n" % i for i in range(25)))
    lines = []
    while (line := c.line()) is not None:
        lines.append(line)
    bad = [line for line in lines if re.match(rb"t\d+ BAD", line)]
    assert len(bad) == 20, lines  # imap.max_errors
    assert lines[-1].startswith(b"* BYE"), lines
    c.close()
    assert_alive(engine)


@pytest.fixture
def own_engine(tmp_path, monkeypatch):
    """An engine of its own (for tests that change limits or measure it) whose
    RSS means something under ASan: the default 256 MB quarantine of freed
    memory would count as growth."""
    opts = os.environ.get("ASAN_OPTIONS", "")
    monkeypatch.setenv("ASAN_OPTIONS", (opts + ":" if opts else "") + "quarantine_size_mb=4")
    e = start_engine(tmp_path / "data", users=("ann",))
    yield e
    e.stop()


def poll_lines(c):
    """Complete lines the engine has sent so far, without blocking for more.
    One thread only: an SSL socket must not be read and written at once."""
    c.sock.settimeout(0.05)
    try:
        while select.select([c.sock], [], [], 0)[0] or (c.tls and c.sock.pending()):
            chunk = c.sock.recv(65536)
            if not chunk:
                break
            c.buf += chunk
    except (socket.timeout, ssl.SSLWantReadError, ConnectionResetError):
        pass
    finally:
        c.sock.settimeout(60)
    lines = c.buf.split(b"\r\n")
    c.buf = lines.pop()
    return lines


def send_huge_literal(engine, c, command):
    """Announces a 2 GB non-synchronizing literal, streams 20 MB of it while
    sampling the engine's RSS, and returns (lines received, RSS growth KiB)."""
    before = engine.rss_kib()
    c.sock.sendall(command + b" {2000000000+}\r\n")
    chunk, peak, lines = b"x" * 65536, before, []
    try:
        for i in range(320):
            c.sock.sendall(chunk)
            if i % 16 == 0:
                peak = max(peak, engine.rss_kib())
                lines += poll_lines(c)
    except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
        pass  # the engine may close after [TOOBIG]
    time.sleep(0.5)
    peak = max(peak, engine.rss_kib())
    lines += poll_lines(c)
    c.close()
    return lines, peak - before


def test_two_gigabyte_literal_is_refused_without_growing(own_engine):
    c = Raw(own_engine.ports["imaps"], tls=True).login("ann@example.com")
    lines, growth = send_huge_literal(own_engine, c, b"b APPEND INBOX")
    assert any(line.startswith(b"b ") and b"[TOOBIG]" in line for line in lines), lines
    assert growth < 50 * 1024, f"RSS grew by {growth} KiB"
    # Before login, as a LOGIN argument.
    c = Raw(own_engine.ports["imap"])
    c.line()
    lines, growth = send_huge_literal(own_engine, c, b"c LOGIN")
    assert any(line.startswith(b"c ") and line.split()[1] in (b"BAD", b"NO") for line in lines), lines
    assert growth < 50 * 1024, f"RSS grew by {growth} KiB"
    assert_alive(own_engine)
    m = imap_ssl(own_engine, "ann")
    typ, data = m.status("INBOX", "(MESSAGES)")
    assert typ == "OK" and re.search(rb"\(MESSAGES 0\)", data[0]), data
    m.logout()


def open_sessions(engine, n):
    """n plain connections held open; how many got a greeting rather than BYE."""
    socks, greeted = [], 0
    for _ in range(n):
        c = Raw(engine.ports["imap"], timeout=30)
        socks.append(c)
        greeted += (c.line() or b"").startswith(b"* OK")
    for c in socks:
        c.close()
    return greeted


def wait_free(engine, n, secs=10):
    """Polls until n connections at once get a greeting; how many did at the end."""
    deadline = time.time() + secs
    while (greeted := open_sessions(engine, n)) < n and time.time() < deadline:
        time.sleep(0.5)
    return greeted


def drop_before_connect_tls(engine):
    socket.create_connection(("127.0.0.1", engine.ports["imaps"]), timeout=30).close()


def drop_mid_handshake(engine):
    s = socket.create_connection(("127.0.0.1", engine.ports["imaps"]), timeout=30)
    out = ssl.MemoryBIO()
    tls = tls_context().wrap_bio(ssl.MemoryBIO(), out, server_hostname="mx.example.com")
    with pytest.raises(ssl.SSLWantReadError):
        tls.do_handshake()
    s.sendall(out.read())  # the ClientHello
    s.close()


def drop_after_starttls(engine):
    # The engine frees a slot when it sees the close, a moment after the
    # client's close() returns: wait for that, but not for long.
    deadline = time.time() + 10
    while True:
        c = Raw(engine.ports["imap"])
        if c.line().startswith(b"* OK"):
            break
        c.close()
        assert time.time() < deadline, "no free slot: an earlier STARTTLS connection still counts"
        time.sleep(0.2)
    assert c.cmd("a STARTTLS")[-1].startswith(b"a OK")
    c.close()


@pytest.mark.parametrize("drop", [drop_before_connect_tls, drop_mid_handshake, drop_after_starttls])
def test_connections_dropped_before_tls_free_their_slot(own_engine, drop):
    set_setting(own_engine, "imap.max_connections_per_ip", 4)
    assert open_sessions(own_engine, 5) == 4
    assert wait_free(own_engine, 4) == 4
    for _ in range(4):
        drop(own_engine)
    assert wait_free(own_engine, 4) == 4, \
        "connections that never finished TLS still count against imap.max_connections_per_ip"
