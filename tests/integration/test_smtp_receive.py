"""SMTP receiving and submission, driven by independent clients (Python's
smtplib, swaks, raw sockets): local delivery, AUTH over STARTTLS and
implicit TLS, pipelining, BDAT, 8BITMIME, SIZE, limits."""
import base64
import email
import email.policy
import hashlib
import hmac
import os
import smtplib
import socket
import ssl
import subprocess
import time

import pytest

from conftest import PASSWORD
from mailpeers import mailbox_messages, wait_for_mail


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def message(subject, body="Hello.\r\n", frm="carol@outside.test", to="ann@example.com"):
    return (f"From: {frm}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <{subject}@outside.test>\r\n\r\n"
            f"{body}").encode()


def swaks(engine, *args, port="smtp"):
    r = subprocess.run(["swaks", "--server", f"127.0.0.1:{engine.ports[port]}", "--timeout", "30", *args],
                       capture_output=True, text=True, timeout=120)
    return r


class Raw:
    """A line-level SMTP client over a plain socket, for what libraries refuse to send."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=15)
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data)

    def reply(self):
        lines = []
        while True:
            while b"\r\n" not in self.buf:
                chunk = self.sock.recv(65536)
                if not chunk:
                    return lines
                self.buf += chunk
            line, self.buf = self.buf.split(b"\r\n", 1)
            lines.append(line.decode())
            if len(line) < 4 or line[3:4] == b" ":
                return lines

    def code(self):
        r = self.reply()
        return int(r[-1][:3]) if r else None

    def cmd(self, line):
        self.send(line.encode() + b"\r\n")
        return self.code()

    def close(self):
        self.sock.close()


def test_smtplib_delivers_to_a_local_mailbox_with_trace_headers(mail_engine):
    with smtplib.SMTP("127.0.0.1", mail_engine.ports["smtp"], timeout=30) as s:
        code, banner = s.ehlo("client.outside.test")
        assert code == 250
        for ext in ("pipelining", "size", "8bitmime", "smtputf8", "enhancedstatuscodes", "starttls", "chunking", "dsn"):
            assert s.has_extn(ext), ext
        assert not s.has_extn("auth"), "AUTH must not be offered before TLS"
        refused = s.sendmail("carol@outside.test", ["ann@example.com", "Bob@Example.COM"], message("first"))
        assert refused == {}
    for user in ("ann@example.com", "bob@example.com"):
        msgs = wait_for_mail(mail_engine.data, user, 1)
        assert [m[1] for m in msgs] == ["first"]
        content = open(msgs[0][2], "rb").read()
        assert content.startswith(b"Return-Path: <carol@outside.test>\r\nReceived: from client.outside.test ([127.0.0.1])")
        assert b"by mx.example.com (Mailroom) with ESMTP id " in content
        assert content.endswith(b"\r\n\r\nHello.\r\n")
    # One message file for both recipients.
    assert mailbox_messages(mail_engine.data, "ann@example.com")[0][2] == \
        mailbox_messages(mail_engine.data, "bob@example.com")[0][2]


def test_unknown_local_user_and_relay_are_refused(mail_engine):
    with smtplib.SMTP("127.0.0.1", mail_engine.ports["smtp"], timeout=30) as s:
        s.ehlo("client.test")
        s.mail("carol@outside.test")
        assert s.rcpt("nobody@example.com")[0] == 550
        code, text = s.rcpt("someone@elsewhere.test")
        assert code == 554 and b"5.7.1" in text
        assert s.rcpt("ann@example.com")[0] == 250


RELAY_ATTEMPTS = [
    "<victim@elsewhere.test>",
    "<victim%elsewhere.test@example.com>",
    "<elsewhere.test!victim@example.com>",
    "<victim@elsewhere.test@example.com>",
    "<@example.com:victim@elsewhere.test>",
    "<@example.com,@mx.example.com:victim@elsewhere.test>",
    '<"victim@elsewhere.test"@example.com>',
    '<"victim%elsewhere.test"@example.com>',
    "<victim>",
    "victim@elsewhere.test",
    "<victim@[192.0.2.1]>",
    "<victim@[127.0.0.1]>",
    "<victim@elsewhere.test.>",
    "<victim@example.com.elsewhere.test>",
    "<victim%elsewhere.test>",
    "<victim@ELSEWHERE.test>",
    "<\"victim\"@elsewhere.test>",
    "<victim@elsewhere.test%example.com>",
    "<victim@localhost>",
    "<postmaster@elsewhere.test>",
]


@pytest.mark.parametrize("recipient", RELAY_ATTEMPTS)
def test_classic_open_relay_attempts_are_refused(mail_engine, recipient):
    c = Raw(mail_engine.ports["smtp"])
    assert c.code() == 220
    assert c.cmd("EHLO relaytest.test") == 250
    assert c.cmd("MAIL FROM:<spammer@outside.test>") == 250
    code = c.cmd(f"RCPT TO:{recipient}")
    assert code is not None and code >= 500, f"{recipient} got {code}"
    assert c.cmd("DATA") == 554  # no valid recipient: nothing can be sent
    c.cmd("QUIT")
    c.close()


SMUGGLING = [b"\n.\n", b"\r.\r", b"\n.\r\n", b"\r\n.\n", b"\r.\r\n"]


@pytest.mark.parametrize("ending", SMUGGLING, ids=["LF.LF", "CR.CR", "LF.CRLF", "CRLF.LF", "CR.CRLF"])
def test_smuggled_end_of_data_never_ends_the_message(mail_engine, ending):
    c = Raw(mail_engine.ports["smtp"])
    assert c.code() == 220
    assert c.cmd("EHLO smuggler.test") == 250
    assert c.cmd("MAIL FROM:<a@outside.test>") == 250
    assert c.cmd("RCPT TO:<ann@example.com>") == 250
    assert c.cmd("DATA") == 354
    smuggled = (b"Subject: outer\r\n\r\nbody" + ending + b"MAIL FROM:<evil@outside.test>\r\nRCPT TO:<bob@example.com>\r\n"
                b"DATA\r\nSubject: smuggled\r\n\r\nx\r\n")
    c.send(smuggled)
    # Nothing may answer yet: the data has not ended.
    c.sock.settimeout(1.0)
    with pytest.raises(socket.timeout):
        c.reply()
    c.sock.settimeout(15)
    c.send(b".\r\n")
    code = c.code()
    assert code == 554, "a message with bare CR or LF must be refused whole"
    assert c.cmd("QUIT") == 221
    c.close()
    time.sleep(0.5)
    assert mailbox_messages(mail_engine.data, "ann@example.com") == []
    assert mailbox_messages(mail_engine.data, "bob@example.com") == []


def test_dot_stuffing_and_8bitmime(mail_engine):
    body = ".leading dot\r\n..two dots\r\nGrüße aus Köln\r\n"
    with smtplib.SMTP("127.0.0.1", mail_engine.ports["smtp"], timeout=30) as s:
        s.ehlo("client.test")
        s.sendmail("carol@outside.test", ["ann@example.com"], message("eight", body).decode().encode("utf-8"),
                   mail_options=["BODY=8BITMIME"])
    msgs = wait_for_mail(mail_engine.data, "ann@example.com", 1)
    content = open(msgs[0][2], "rb").read()
    assert content.endswith(body.encode("utf-8"))


def test_size_limit_is_advertised_and_enforced(mail_engine):
    c = mail_engine.client()
    c.call("settings.set", {"name": "smtp.message_size_limit", "value": "2000"})
    c.close()
    with smtplib.SMTP("127.0.0.1", mail_engine.ports["smtp"], timeout=30) as s:
        s.ehlo("client.test")
        assert s.esmtp_features["size"] == "2000"
        assert s.mail("carol@outside.test", ["SIZE=5000"])[0] == 552
        s.rset()
        # Without SIZE the limit holds at the end of DATA.
        assert s.mail("carol@outside.test")[0] == 250
        assert s.rcpt("ann@example.com")[0] == 250
        code, text = s.data(message("big", "x" * 3000 + "\r\n"))
        assert code == 552 and b"5.3.4" in text
    r = swaks(mail_engine, "--to", "ann@example.com", "--from", "c@outside.test", "--body", "y" * 3000)
    assert "552 5.3.4" in r.stdout
    assert mailbox_messages(mail_engine.data, "ann@example.com") == []


def test_submission_needs_tls_then_auth(mail_engine):
    port = mail_engine.ports["submission"]
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as s:
        s.ehlo("laptop")
        assert not s.has_extn("auth")
        assert s.mail("ann@example.com")[0] == 530
        assert s.docmd("AUTH", "PLAIN AGFubkBleGFtcGxlLmNvbQB4")[0] == 530
        s.starttls(context=tls_context())
        s.ehlo("laptop")
        assert "PLAIN" in s.esmtp_features["auth"] and "SCRAM-SHA-256" in s.esmtp_features["auth"]
        assert s.mail("ann@example.com")[0] == 530
        s.login("ann@example.com", PASSWORD)
        s.sendmail("ann@example.com", ["bob@example.com"], message("submitted", frm="ann@example.com",
                                                                     to="bob@example.com"))
    msgs = wait_for_mail(mail_engine.data, "bob@example.com", 1)
    content = open(msgs[0][2], "rb").read()
    assert b"with ESMTPSA id" in content and b"(using TLSv1." in content


def test_submission_adds_missing_date_and_message_id(mail_engine):
    """RFC 6409 §8: a submitted message without Date or Message-ID gets
    them; one that has them keeps its own; relayed mail is left as it is."""
    with smtplib.SMTP("127.0.0.1", mail_engine.ports["submission"], timeout=30) as s:
        s.starttls(context=tls_context())
        s.login("ann@example.com", PASSWORD)
        s.sendmail("ann@example.com", ["bob@example.com"], b"Subject: bare\r\n\r\nNo date, no id.\r\n")
        s.sendmail("ann@example.com", ["bob@example.com"],
                   b"Subject: dressed\r\nDate: Mon, 2 Nov 2026 10:00:00 +0100\r\n"
                   b"Message-ID: <mine@laptop.example.com>\r\n\r\nAll there.\r\n")
    with smtplib.SMTP("127.0.0.1", mail_engine.ports["smtp"], timeout=30) as s:
        s.sendmail("carol@outside.test", ["bob@example.com"], b"Subject: inbound\r\n\r\nFrom outside.\r\n")
    msgs = {subject: open(path, "rb").read() for _, subject, path in wait_for_mail(mail_engine.data,
                                                                                  "bob@example.com", 3)}
    bare = email.message_from_bytes(msgs["bare"], policy=email.policy.default)
    assert bare["Message-ID"].endswith("@mx.example.com>") and bare["Date"].datetime is not None
    dressed = email.message_from_bytes(msgs["dressed"], policy=email.policy.default)
    assert dressed.get_all("Message-ID") == ["<mine@laptop.example.com>"]
    assert len(dressed.get_all("Date")) == 1 and b"Date: Mon, 2 Nov 2026 10:00:00 +0100\r\n" in msgs["dressed"]
    inbound = email.message_from_bytes(msgs["inbound"], policy=email.policy.default)
    assert inbound["Message-ID"] is None and inbound["Date"] is None


@pytest.mark.parametrize("mech", ["PLAIN", "LOGIN"])
def test_swaks_auth_over_starttls(mail_engine, mech):
    r = swaks(mail_engine, "-tls", "--auth", mech, "--auth-user", "ann@example.com", "--auth-password", PASSWORD,
              "--to", "bob@example.com", "--from", "ann@example.com", port="submission")
    assert "235 2.7.0" in r.stdout, r.stdout[-2000:]
    assert "250 2.0.0 OK: queued as" in r.stdout, r.stdout[-2000:]


class ScramClient:
    """An independent SCRAM-SHA-256 client (RFC 5802, RFC 7677) for smtplib's auth()."""

    def __init__(self, user, password):
        self.user, self.password = user, password
        self.nonce = base64.b64encode(os.urandom(18)).decode()
        self.step = 0
        self.server_signature = None

    def __call__(self, challenge=None):
        if self.step == 0:
            self.step = 1
            self.first_bare = f"n={self.user},r={self.nonce}"
            return "n,," + self.first_bare
        if self.step == 1:
            self.step = 2
            server_first = challenge.decode()
            fields = dict(f.split("=", 1) for f in server_first.split(","))
            assert fields["r"].startswith(self.nonce)
            salted = hashlib.pbkdf2_hmac("sha256", self.password.encode(), base64.b64decode(fields["s"]),
                                         int(fields["i"]))
            client_key = hmac.new(salted, b"Client Key", "sha256").digest()
            stored_key = hashlib.sha256(client_key).digest()
            final_bare = f"c=biws,r={fields['r']}"
            auth_message = f"{self.first_bare},{server_first},{final_bare}".encode()
            signature = hmac.new(stored_key, auth_message, "sha256").digest()
            proof = bytes(a ^ b for a, b in zip(client_key, signature))
            server_key = hmac.new(salted, b"Server Key", "sha256").digest()
            self.server_signature = base64.b64encode(hmac.new(server_key, auth_message, "sha256").digest()).decode()
            return f"{final_bare},p={base64.b64encode(proof).decode()}"
        assert challenge.decode() == "v=" + self.server_signature, "the server proved it knows the keys"
        return ""


def test_scram_sha_256_login(mail_engine):
    with smtplib.SMTP("127.0.0.1", mail_engine.ports["submission"], timeout=30) as s:
        s.starttls(context=tls_context())
        s.ehlo("laptop")
        code, _ = s.auth("SCRAM-SHA-256", ScramClient("ann@example.com", PASSWORD), initial_response_ok=True)
        assert code == 235
        with pytest.raises(smtplib.SMTPAuthenticationError):
            s2 = smtplib.SMTP("127.0.0.1", mail_engine.ports["submission"], timeout=30)
            s2.starttls(context=tls_context())
            s2.ehlo("laptop")
            s2.auth("SCRAM-SHA-256", ScramClient("ann@example.com", "wrong password"), initial_response_ok=True)


def test_swaks_auth_over_implicit_tls_and_wrong_password(mail_engine):
    ok = swaks(mail_engine, "--tlsc", "--auth", "PLAIN", "--auth-user", "ann@example.com", "--auth-password", PASSWORD,
               "--to", "bob@example.com", "--from", "ann@example.com", port="smtps")
    assert "235 2.7.0" in ok.stdout and "queued as" in ok.stdout, ok.stdout[-2000:]
    bad = swaks(mail_engine, "--tlsc", "--auth", "LOGIN", "--auth-user", "ann@example.com", "--auth-password",
                "not the password", "--to", "bob@example.com", "--from", "ann@example.com", port="smtps")
    assert "535 5.7.8" in bad.stdout, bad.stdout[-2000:]
    log = (mail_engine.data / "logs" / "mailroomd.log").read_text()
    assert "smtp_auth_failed" in log
    assert PASSWORD not in log and "not the password" not in log


def test_cram_md5_for_a_user_who_opted_in(mail_engine):
    c = mail_engine.client()
    c.call("users.update", {"address": "ann@example.com", "cramMd5": True})
    c.call("users.passwd", {"address": "ann@example.com", "password": PASSWORD})
    c.close()
    r = swaks(mail_engine, "-tls", "--auth", "CRAM-MD5", "--auth-user", "ann@example.com", "--auth-password", PASSWORD,
              "--to", "bob@example.com", "--from", "ann@example.com", port="submission")
    assert "235 2.7.0" in r.stdout, r.stdout[-2000:]
    r = swaks(mail_engine, "-tls", "--auth", "CRAM-MD5", "--auth-user", "bob@example.com", "--auth-password", PASSWORD,
              "--to", "ann@example.com", "--from", "bob@example.com", port="submission")
    assert "535 5.7.8" in r.stdout, "bob did not opt in to CRAM-MD5"


def test_sender_must_belong_to_the_logged_in_user(mail_engine):
    with smtplib.SMTP("127.0.0.1", mail_engine.ports["submission"], timeout=30) as s:
        s.starttls(context=tls_context())
        s.login("ann@example.com", PASSWORD)
        assert s.mail("bob@example.com")[0] == 553
        assert s.mail("ann@example.com")[0] == 250


def test_pipelining_with_swaks(mail_engine):
    r = swaks(mail_engine, "--pipeline", "--to", "ann@example.com,bob@example.com", "--from", "c@outside.test")
    assert "queued as" in r.stdout, r.stdout[-2000:]
    assert len(wait_for_mail(mail_engine.data, "bob@example.com", 1)) == 1


def test_pipelined_commands_after_starttls_are_discarded(mail_engine):
    c = Raw(mail_engine.ports["smtp"])
    assert c.code() == 220
    assert c.cmd("EHLO injector.test") == 250
    # CVE-2011-0411: "RSET" sent in clear after STARTTLS must not be answered inside TLS.
    c.send(b"STARTTLS\r\nMAIL FROM:<injected@outside.test>\r\n")
    assert c.code() == 220
    tls = tls_context().wrap_socket(c.sock, server_hostname="mx.example.com")
    tls.settimeout(1.5)
    with pytest.raises((socket.timeout, ssl.SSLError)):
        tls.recv(100)  # nothing may be waiting for us
    tls.settimeout(15)
    tls.sendall(b"RCPT TO:<ann@example.com>\r\n")
    assert tls.recv(1000).startswith(b"503"), "the injected MAIL must have been dropped"
    tls.close()


def test_openssl_s_client_starttls(mail_engine):
    r = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{mail_engine.ports['smtp']}", "-starttls",
                        "smtp", "-brief"], input="EHLO x\r\nQUIT\r\n", capture_output=True, text=True, timeout=60)
    out = r.stdout + r.stderr
    assert "CONNECTION ESTABLISHED" in out, out
    assert "Protocol version: TLSv1.3" in out or "Protocol version: TLSv1.2" in out


def test_bdat_chunks(mail_engine):
    c = Raw(mail_engine.ports["smtp"])
    c.code()
    assert c.cmd("EHLO chunker.test") == 250
    assert c.cmd("MAIL FROM:<c@outside.test> BODY=8BITMIME") == 250
    assert c.cmd("RCPT TO:<ann@example.com>") == 250
    part1 = b"Subject: chunked\r\n\r\n.first line starts with a dot\r\n"
    part2 = b"second\r\n"
    c.send(b"BDAT %d\r\n" % len(part1) + part1)
    assert c.code() == 250
    c.send(b"BDAT %d LAST\r\n" % len(part2) + part2)
    r = c.reply()
    assert r[-1].startswith("250 2.0.0 OK: queued as"), r
    c.cmd("QUIT")
    msgs = wait_for_mail(mail_engine.data, "ann@example.com", 1)
    assert open(msgs[0][2], "rb").read().endswith(part1 + part2)


def test_limits_long_lines_errors_and_recipients(mail_engine):
    c = mail_engine.client()
    c.call("settings.set", {"name": "smtp.max_recipients", "value": "3"})
    c.call("settings.set", {"name": "smtp.max_errors", "value": "5"})
    c.close()
    r = Raw(mail_engine.ports["smtp"])
    r.code()
    assert r.cmd("EHLO limits.test") == 250
    r.send(b"NOOP " + b"x" * 10000 + b"\r\n")
    assert r.code() == 500
    assert r.cmd("MAIL FROM:<c@outside.test>") == 250
    for i in range(3):
        assert r.cmd("RCPT TO:<ann+%d@example.com>" % i) == 250
    assert r.cmd("RCPT TO:<bob@example.com>") == 452
    for _ in range(2):
        r.cmd("BOGUS")
    assert r.cmd("BOGUS") == 500  # the fifth error is answered, then the session closes
    assert r.code() == 421
    assert r.sock.recv(100) == b""
    r.close()


def test_http_request_is_dropped(mail_engine):
    r = Raw(mail_engine.ports["smtp"])
    r.code()
    r.send(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert r.code() == 554
    r.close()


def test_failed_logins_lock_the_user_then_the_client_is_sent_away(mail_engine):
    c = mail_engine.client()
    c.call("settings.set", {"name": "auth.max_failures_per_user", "value": "3"})
    c.close()
    for attempt in range(3):
        with smtplib.SMTP("127.0.0.1", mail_engine.ports["submission"], timeout=30) as s:
            s.starttls(context=tls_context())
            with pytest.raises((smtplib.SMTPAuthenticationError, smtplib.SMTPServerDisconnected)) as e:
                s.login("ann@example.com", f"guess number {attempt}")
    # The third failure locked ann: even the right password is refused with
    # a temporary error, and the connection is closed.
    with smtplib.SMTP("127.0.0.1", mail_engine.ports["submission"], timeout=30) as s:
        s.starttls(context=tls_context())
        s.ehlo("laptop")
        code, _ = s.docmd("AUTH", "PLAIN " + base64.b64encode(f"\0ann@example.com\0{PASSWORD}".encode()).decode())
        assert code == 454
    # bob is not affected.
    with smtplib.SMTP("127.0.0.1", mail_engine.ports["submission"], timeout=30) as s:
        s.starttls(context=tls_context())
        assert s.login("bob@example.com", PASSWORD)[0] == 235
    log = (mail_engine.data / "logs" / "mailroomd.log").read_text()
    assert "too many failed logins" in log
