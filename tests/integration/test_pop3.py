"""POP3 (RFC 1939, 2449, 2595, 5034) on pop3 (STLS) and pop3s, driven by
independent clients: Python's poplib, curl, openssl s_client, raw sockets
and Poco's POP3ClientSession (tests/integration/poco_pop3). Mail reaches
the INBOX through the engine's own SMTP listener."""
import base64
import os
import pathlib
import poplib
import smtplib
import socket
import sqlite3
import ssl
import subprocess
import time

import pytest

from conftest import PASSWORD
from mailpeers import mailbox_messages, wait_for_mail
from mailroom_harness import MAILROOMD, Engine, free_port

USER = "ann@example.com"


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


@pytest.fixture
def pop3_engine(tmp_path):
    """An engine with SMTP (to deliver) and both POP3 listeners on free
    ports, domain example.com, users ann and bob, no login delay."""
    ports = {"imap": 0, "imaps": 0, "submission": 0, "smtps": 0}
    ports.update(smtp=free_port(), pop3=free_port(), pop3s=free_port())
    e = Engine(tmp_path / "data", ports=ports,
               extra=["--set", "auth.failure_delay_ms=0", "--set", "server.hostname=mx.example.com"]).start()
    c = e.client()
    c.call("domains.add", {"name": "example.com"})
    for u in ("ann", "bob"):
        c.call("users.add", {"address": f"{u}@example.com", "password": PASSWORD})
    c.close()
    yield e
    e.stop()


def set_setting(engine, name, value):
    c = engine.client()
    c.call("settings.set", {"name": name, "value": str(value)})
    c.close()


def deliver(engine, subject, body="Hello.\r\n", to=USER):
    msg = (f"From: carol@outside.test\r\nTo: {to}\r\nSubject: {subject}\r\n"
           f"Message-ID: <{subject}@outside.test>\r\n\r\n{body}").encode()
    with smtplib.SMTP("127.0.0.1", engine.ports["smtp"], timeout=60) as s:
        s.sendmail("carol@outside.test", [to], msg)


def deliver_many(engine, subjects, to=USER, body="Hello.\r\n"):
    before = len(mailbox_messages(engine.data, to))
    for subject in subjects:
        deliver(engine, subject, body, to)
    msgs = wait_for_mail(engine.data, to, before + len(subjects))
    assert len(msgs) == before + len(subjects)
    return msgs


def flags(engine, user=USER):
    """uid -> flags of the user's INBOX, read from the database."""
    db = sqlite3.connect(f"file:{engine.data}/mailroom.db?mode=ro", uri=True, timeout=30)
    try:
        rows = db.execute(
            "SELECT m.uid, m.flags FROM messages m JOIN mailboxes b ON b.id = m.mailbox_id"
            " JOIN users u ON u.id = b.user_id WHERE u.address = ? AND b.name = 'INBOX'", (user,)).fetchall()
    finally:
        db.close()
    return dict(rows)


def stls_login(engine, user=USER, password=PASSWORD):
    p = poplib.POP3("127.0.0.1", engine.ports["pop3"], timeout=60)
    p.stls(context=tls_context())
    p.user(user)
    p.pass_(password)
    return p


def pop3s_login(engine, user=USER, password=PASSWORD):
    p = poplib.POP3_SSL("127.0.0.1", engine.ports["pop3s"], context=tls_context(), timeout=60)
    p.user(user)
    p.pass_(password)
    return p


def drop(p):
    """Ends a poplib connection without QUIT (the makefile() reader would keep it open)."""
    p.sock.shutdown(socket.SHUT_RDWR)
    p.file.close()
    p.sock.close()


class Raw:
    """A line-level POP3 client over a plain socket, for what libraries refuse to send."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.buf = b""

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def body(self):
        lines = []
        while True:
            line = self.line()
            assert line is not None, "connection closed inside a multi-line answer"
            if line == b".":
                return lines
            lines.append(line[1:] if line.startswith(b".") else line)

    def cmd(self, text):
        self.sock.sendall(text.encode() + b"\r\n")
        return self.line()

    def close(self):
        self.sock.close()


def test_poplib_over_stls_full_session(pop3_engine):
    body = ".leading dot\r\n..two dots\r\nline 3\r\nline 4\r\n"
    msgs = deliver_many(pop3_engine, ["one", "two", "three"], body=body)
    stored = [open(m[2], "rb").read() for m in msgs]
    p = poplib.POP3("127.0.0.1", pop3_engine.ports["pop3"], timeout=60)
    assert p.getwelcome().startswith(b"+OK")
    caps = p.capa()
    assert "STLS" in caps and "USER" not in caps and "SASL" not in caps, caps
    assert {"TOP", "UIDL", "PIPELINING", "RESP-CODES"} <= set(caps)
    # No login before TLS: -ERR [AUTH].
    with pytest.raises(poplib.error_proto, match=r"\[AUTH\]"):
        p.user(USER)
    p.stls(context=tls_context())
    caps = p.capa()
    assert "STLS" not in caps and "USER" in caps
    assert {"PLAIN", "LOGIN", "SCRAM-SHA-256"} <= set(caps["SASL"])
    p.user(USER)
    p.pass_(PASSWORD)
    count, size = p.stat()
    assert count == 3 and size == sum(len(c) for c in stored)
    resp, listing, _ = p.list()
    assert [tuple(map(int, l.split())) for l in listing] == [(i + 1, len(c)) for i, c in enumerate(stored)]
    assert p.list(2).split()[1:] == [b"2", str(len(stored[1])).encode()]
    # RETR: the stored bytes, line by line, dot-stuffing undone by poplib.
    resp, lines, _ = p.retr(1)
    assert resp.startswith(b"+OK")
    assert b"\r\n".join(lines) + b"\r\n" == stored[0]
    # TOP n 0: the header and nothing of the body; TOP n 2: two body lines.
    header = stored[1].split(b"\r\n\r\n", 1)[0]
    assert b"\r\n".join(p.top(2, 0)[1]) == header + b"\r\n"
    assert p.top(2, 2)[1][-2:] == [b".leading dot", b"..two dots"]
    # DELE marks, RSET unmarks; a deleted message is gone from STAT/LIST.
    p.dele(1)
    assert p.stat() == (2, size - len(stored[0]))
    with pytest.raises(poplib.error_proto):
        p.retr(1)
    with pytest.raises(poplib.error_proto):
        p.dele(1)
    assert [l.split()[0] for l in p.list()[1]] == [b"2", b"3"]
    p.rset()
    assert p.stat() == (3, size)
    p.dele(3)
    assert p.noop().startswith(b"+OK")
    with pytest.raises(poplib.error_proto):
        p.retr(4)
    assert p.quit().startswith(b"+OK")
    left = mailbox_messages(pop3_engine.data, USER)
    assert [m[1] for m in left] == ["one", "two"]
    # RETR set \Seen at QUIT; TOP did not.
    f = flags(pop3_engine)
    assert f[left[0][0]] & 1 and not f[left[1][0]] & 1


def test_uidl_is_stable_across_sessions_and_listeners(pop3_engine):
    deliver_many(pop3_engine, ["a", "b", "c"])
    p = stls_login(pop3_engine)
    first = p.uidl()[1]
    p.quit()
    s = pop3s_login(pop3_engine)
    second = s.uidl()[1]
    assert s.uidl(2).split()[1:] == second[1].split()
    s.dele(1)
    s.quit()
    assert first == second
    ids = [l.split()[1] for l in first]
    assert len(set(ids)) == 3
    for uid in ids:
        assert 1 <= len(uid) <= 70 and all(0x21 <= c <= 0x7e for c in uid)
    # After message 1 went, the others keep their ids (under new numbers).
    deliver_many(pop3_engine, ["d"])
    p = pop3s_login(pop3_engine)
    third = [l.split()[1] for l in p.uidl()[1]]
    p.quit()
    assert third[:2] == ids[1:] and third[2] not in ids


def test_deletion_happens_only_at_quit_and_a_dropped_connection_deletes_nothing(pop3_engine):
    deliver_many(pop3_engine, ["keep1", "keep2"])
    p = pop3s_login(pop3_engine)
    p.dele(1)
    p.dele(2)
    drop(p)  # without QUIT
    time.sleep(1)
    assert len(mailbox_messages(pop3_engine.data, USER)) == 2
    p = stls_login(pop3_engine)
    assert p.stat()[0] == 2
    p.retr(2)
    p.dele(1)
    time.sleep(0.5)
    assert len(mailbox_messages(pop3_engine.data, USER)) == 2, "DELE must not remove before QUIT"
    drop(p)
    time.sleep(1)
    assert len(mailbox_messages(pop3_engine.data, USER)) == 2
    assert not any(v & 1 for v in flags(pop3_engine).values()), "no \\Seen without QUIT"
    p = stls_login(pop3_engine)
    p.dele(1)
    p.quit()
    assert [m[1] for m in mailbox_messages(pop3_engine.data, USER)] == ["keep2"]


def test_auth_plain_scram_and_the_throttle(pop3_engine):
    deliver_many(pop3_engine, ["x"])
    p = poplib.POP3_SSL("127.0.0.1", pop3_engine.ports["pop3s"], context=tls_context(), timeout=60)
    plain = base64.b64encode(f"\0{USER}\0{PASSWORD}".encode()).decode()
    assert p._shortcmd("AUTH PLAIN " + plain).startswith(b"+OK")
    assert p.stat()[0] == 1
    p.quit()
    # AUTH PLAIN without initial response: an empty "+ " challenge first.
    p = poplib.POP3_SSL("127.0.0.1", pop3_engine.ports["pop3s"], context=tls_context(), timeout=60)
    assert p._shortcmd("AUTH PLAIN").startswith(b"+")
    assert p._shortcmd(plain).startswith(b"+OK")
    p.quit()
    # SCRAM-SHA-256 through the RFC 5034 challenge exchange.
    from test_smtp_receive import ScramClient
    scram = ScramClient(USER, PASSWORD)
    p = poplib.POP3_SSL("127.0.0.1", pop3_engine.ports["pop3s"], context=tls_context(), timeout=60)
    r = p._shortcmd("AUTH SCRAM-SHA-256 " + base64.b64encode(scram().encode()).decode())
    assert r.startswith(b"+ ")
    r = p._shortcmd(base64.b64encode(scram(base64.b64decode(r[2:])).encode()).decode())
    assert r.startswith(b"+ ")
    scram(base64.b64decode(r[2:]))  # checks the server signature
    assert p._shortcmd("").startswith(b"+OK")
    p.quit()
    # Wrong passwords: -ERR [AUTH], then the per-address limit sends the client away.
    set_setting(pop3_engine, "auth.max_failures_per_ip", 3)
    p = poplib.POP3_SSL("127.0.0.1", pop3_engine.ports["pop3s"], context=tls_context(), timeout=60)
    bad = base64.b64encode(f"\0{USER}\0wrong password".encode()).decode()
    for _ in range(2):
        with pytest.raises(poplib.error_proto, match=r"-ERR \[AUTH\]"):
            p._shortcmd("AUTH PLAIN " + bad)
    with pytest.raises(poplib.error_proto, match=r"\[SYS/TEMP\]"):
        p.user("bob@example.com")
        p.pass_("another wrong one")
    with pytest.raises((poplib.error_proto, OSError, EOFError)):
        p.noop()
    # The address stays locked, even with the right password.
    p = poplib.POP3_SSL("127.0.0.1", pop3_engine.ports["pop3s"], context=tls_context(), timeout=60)
    with pytest.raises(poplib.error_proto, match=r"\[SYS/TEMP\]"):
        p._shortcmd("AUTH PLAIN " + plain)
    log = (pop3_engine.data / "logs" / "mailroomd.log").read_text()
    assert "pop3_auth_failed" in log and "too many failed logins" in log
    assert PASSWORD not in log and "wrong password" not in log and "another wrong one" not in log


def test_curl_lists_and_retrieves_over_pop3_stls_and_pop3s(pop3_engine):
    msgs = deliver_many(pop3_engine, ["curl1", "curl2"])
    stored = open(msgs[1][2], "rb").read()
    for url in (f"pop3://127.0.0.1:{pop3_engine.ports['pop3']}", f"pop3s://127.0.0.1:{pop3_engine.ports['pop3s']}"):
        # curl picks CRAM-MD5 when offered; the engine offers it only once a
        # user has opted in, so curl's default login works.
        common = ["curl", "-sS", "-k", "--ssl-reqd", "--max-time", "60", "-u", f"{USER}:{PASSWORD}"]
        r = subprocess.run(common + [url + "/"], capture_output=True, timeout=120)
        assert r.returncode == 0, r.stderr
        assert r.stdout.split(b"\r\n")[:2] == [b"1 %d" % len(open(msgs[0][2], "rb").read()), b"2 %d" % len(stored)]
        r = subprocess.run(common + [url + "/2"], capture_output=True, timeout=120)
        assert r.returncode == 0, r.stderr
        assert r.stdout == stored
    # Without TLS (no --ssl-reqd) the engine refuses the login: auth.allow_plaintext is off.
    r = subprocess.run(["curl", "-sS", "--max-time", "60", "-u", f"{USER}:{PASSWORD}",
                        f"pop3://127.0.0.1:{pop3_engine.ports['pop3']}/"], capture_output=True, timeout=120)
    assert r.returncode != 0


def test_openssl_s_client_starttls_pop3(pop3_engine):
    r = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{pop3_engine.ports['pop3']}", "-starttls",
                        "pop3", "-brief", "-ign_eof"],
                       input="CAPA\r\nQUIT\r\n", capture_output=True, text=True, timeout=60)
    out = r.stdout + r.stderr
    assert "CONNECTION ESTABLISHED" in out, out
    assert "Protocol version: TLSv1.3" in out or "Protocol version: TLSv1.2" in out
    assert "USER" in r.stdout and "STLS" not in r.stdout.split("Capability list follows", 1)[-1]


def test_commands_pipelined_after_stls_are_discarded(pop3_engine):
    c = Raw(pop3_engine.ports["pop3"])
    assert c.line().startswith(b"+OK")
    # CVE-2011-0411: the CAPA sent in clear with STLS must not be answered inside TLS.
    c.sock.sendall(b"STLS\r\nCAPA\r\n")
    assert c.line().startswith(b"+OK")
    assert c.buf == b""
    tls = tls_context().wrap_socket(c.sock, server_hostname="mx.example.com")
    tls.settimeout(1.5)
    with pytest.raises((socket.timeout, ssl.SSLError)):
        tls.recv(100)  # nothing may be waiting for us
    tls.settimeout(30)
    tls.sendall(b"NOOP\r\n")
    assert tls.recv(1000).startswith(b"-ERR"), "NOOP is not valid before login; the injected CAPA was dropped"
    tls.close()


def test_long_lines_errors_and_pipelining(pop3_engine):
    deliver_many(pop3_engine, ["p1", "p2"])
    c = Raw(pop3_engine.ports["pop3"])
    c.line()
    c.sock.sendall(b"CAPA " + b"x" * 100000 + b"\r\n")
    assert c.line().startswith(b"-ERR")
    assert c.cmd("CAPA").startswith(b"+OK")
    assert b"STLS" in c.body()
    c.close()
    # The engine is still up and serving; pipelined commands are answered in order.
    set_setting(pop3_engine, "auth.allow_plaintext", "true")
    c = Raw(pop3_engine.ports["pop3"])
    c.line()
    c.sock.sendall(f"USER {USER}\r\nPASS {PASSWORD}\r\nSTAT\r\nLIST\r\nUIDL 2\r\nRETR 2\r\nNOOP\r\nQUIT\r\n".encode())
    assert c.line().startswith(b"+OK")
    assert c.line().startswith(b"+OK")
    assert c.line().split()[:2] == [b"+OK", b"2"]
    assert c.line().startswith(b"+OK")
    assert len(c.body()) == 2
    assert c.line().split()[1] == b"2"
    assert c.line().startswith(b"+OK")
    assert b"Subject: p2" in c.body()
    assert c.line().startswith(b"+OK")
    assert c.line().startswith(b"+OK Bye")
    assert c.line() is None
    c.close()
    # Too many errors: the session is closed.
    set_setting(pop3_engine, "pop3.max_errors", 3)
    c = Raw(pop3_engine.ports["pop3"])
    c.line()
    assert c.cmd("BOGUS").startswith(b"-ERR")
    assert c.cmd("STAT").startswith(b"-ERR")  # not valid before login
    assert c.cmd("RETR 1").startswith(b"-ERR")
    assert c.line().startswith(b"-ERR Too many errors")
    assert c.line() is None
    c.close()


def test_plaintext_login_when_allowed_and_connection_caps(pop3_engine):
    deliver_many(pop3_engine, ["plain"])
    set_setting(pop3_engine, "auth.allow_plaintext", "true")
    p = poplib.POP3("127.0.0.1", pop3_engine.ports["pop3"], timeout=60)
    caps = p.capa()
    assert "USER" in caps and "PLAIN" in caps["SASL"]
    p.user(USER)
    p.pass_(PASSWORD)
    assert p.stat()[0] == 1
    p.quit()
    set_setting(pop3_engine, "pop3.max_connections_per_ip", 2)
    held = [Raw(pop3_engine.ports["pop3"]) for _ in range(2)]
    for h in held:
        assert h.line().startswith(b"+OK")
    extra = Raw(pop3_engine.ports["pop3"])
    assert extra.line().startswith(b"-ERR [SYS/TEMP]")
    extra.close()
    for h in held:
        h.close()
    time.sleep(0.5)
    again = Raw(pop3_engine.ports["pop3"])
    assert again.line().startswith(b"+OK")
    again.close()


def test_big_message_is_streamed(pop3_engine):
    line = "0123456789" * 9 + "\r\n"
    body = line * (8 * 1024 * 1024 // len(line))  # about 8 MB
    msgs = deliver_many(pop3_engine, ["big"], body=body)
    stored = open(msgs[0][2], "rb").read()
    p = pop3s_login(pop3_engine)
    assert p.list(1).split()[2] == str(len(stored)).encode()
    p._putcmd("RETR 1")
    assert p._getline()[0].startswith(b"+OK")
    got = bytearray()
    while True:
        chunk = p.file.readline(1 << 16)
        assert chunk, "connection closed in RETR"
        if chunk == b".\r\n":
            break
        got += chunk[1:] if chunk.startswith(b"..") else chunk
    assert bytes(got) == stored
    assert p.noop().startswith(b"+OK")
    p.quit()


def poco_peer():
    explicit = os.environ.get("POCO_POP3_PEER")
    if explicit:
        return explicit
    return str(pathlib.Path(MAILROOMD).resolve().parents[2] / "tests/integration/poco_pop3/poco_pop3_peer")


def run_poco(engine, mode, port, *extra):
    peer = poco_peer()
    if not os.path.exists(peer):
        pytest.fail(f"{peer} is not built (ninja poco_pop3_peer)")
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    r = subprocess.run([peer, mode, "127.0.0.1", str(engine.ports[port]), USER, PASSWORD, *extra],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout.splitlines()


def test_poco_pop3_client(pop3_engine):
    msgs = deliver_many(pop3_engine, ["poco1", "poco2", "poco3"])
    sizes = [len(open(m[2], "rb").read()) for m in msgs]
    out = run_poco(pop3_engine, "pop3s", "pop3s")
    assert "login ok" in out and "count 3" in out
    assert [l for l in out if l.startswith("list ")] == [f"list {i + 1} {s}" for i, s in enumerate(sizes)]
    assert f"retr 1 {sizes[0]}" in out and "subject poco1" in out and "quit ok" in out
    out = run_poco(pop3_engine, "stls", "pop3", "1")
    assert "tls yes" in out and "count 3" in out and "dele 1" in out and "quit ok" in out
    assert [m[1] for m in mailbox_messages(pop3_engine.data, USER)] == ["poco2", "poco3"]
    set_setting(pop3_engine, "auth.allow_plaintext", "true")
    out = run_poco(pop3_engine, "plain", "pop3")
    assert "count 2" in out and "subject poco2" in out and "quit ok" in out
