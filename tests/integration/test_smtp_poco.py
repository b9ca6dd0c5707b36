"""SMTP submission driven by Poco's SecureSMTPClientSession
(tests/integration/poco_smtp, issue 3): STARTTLS + AUTH PLAIN on submission,
implicit TLS + AUTH LOGIN on smtps, and the refusals a user meets (wrong
password, no TLS on submission). The peer trusts only the engine's own
certificate (<data>/tls/cert.pem). What arrived is read back over IMAPS as
the recipient would, and decoded with Python's email package."""
import email
import email.policy
import imaplib
import os
import pathlib
import ssl
import subprocess
import time

import pytest

from conftest import PASSWORD
from mailpeers import mailbox_messages, wait_for_mail
from mailroom_harness import MAILROOMD, Engine, free_port

ANN = "ann@example.com"
BOB = "bob@example.com"
SUBJECT = "Grüße aus Köln"
BODY = "Hallo Bob,\r\nGrüße aus Köln – schöne Feiertage ☃ 雪\r\n.\r\nAnn\r\n"


@pytest.fixture
def smtp_engine(tmp_path):
    """An engine with the smtp (MTA), submission and smtps listeners, IMAPS
    to read the mail back, domain example.com, users ann and bob."""
    ports = {"imap": 0, "pop3": 0, "pop3s": 0}
    ports.update(smtp=free_port(), submission=free_port(), smtps=free_port(), imaps=free_port())
    e = Engine(tmp_path / "data", ports=ports,
               extra=["--set", "auth.failure_delay_ms=0", "--set", "server.hostname=mx.example.com"]).start()
    c = e.client()
    c.call("domains.add", {"name": "example.com"})
    for u in ("ann", "bob"):
        c.call("users.add", {"address": f"{u}@example.com", "password": PASSWORD})
    c.close()
    yield e
    e.stop()


def engine_cert(engine):
    cert = engine.data / "tls" / "cert.pem"
    assert cert.is_file(), "the engine made no self-signed certificate"
    return cert


def poco_peer():
    explicit = os.environ.get("POCO_SMTP_PEER")
    if explicit:
        return explicit
    return str(pathlib.Path(MAILROOMD).resolve().parents[2] / "tests/integration/poco_smtp/poco_smtp_peer")


def run_poco(engine, mode, port, *extra, user=ANN, password=PASSWORD, rcpt=BOB):
    """Runs the peer; returns (exit status, output lines)."""
    peer = poco_peer()
    if not os.path.exists(peer):
        pytest.fail(f"{peer} is not built (ninja poco_smtp_peer)")
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
    r = subprocess.run([peer, mode, "127.0.0.1", str(engine.ports[port]), user, password, rcpt, *map(str, extra)],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode in (0, 1, 3), r.stdout + r.stderr
    return r.returncode, r.stdout.splitlines()


def imap_fetch_all(engine, user=BOB):
    """Every message in the user's INBOX as IMAPS hands it out, parsed."""
    ctx = ssl.create_default_context(cafile=str(engine_cert(engine)))
    ctx.check_hostname = False  # the certificate names mx.example.com; we dial 127.0.0.1
    with imaplib.IMAP4_SSL("127.0.0.1", engine.ports["imaps"], ssl_context=ctx, timeout=30) as m:
        m.login(user, PASSWORD)
        typ, _ = m.select("INBOX", readonly=True)
        assert typ == "OK"
        typ, data = m.uid("SEARCH", None, "ALL")
        assert typ == "OK"
        out = []
        for uid in data[0].split():
            typ, parts = m.uid("FETCH", uid, "(BODY.PEEK[])")
            assert typ == "OK"
            out.append(email.message_from_bytes(parts[0][1], policy=email.policy.default))
        return out


def lf(text):
    return text.replace("\r\n", "\n")


def test_poco_starttls_auth_plain_delivers_subject_utf8_body_and_attachment(smtp_engine, tmp_path):
    attachment = tmp_path / "report.bin"
    data = bytes(range(256)) + b"\r\n.\r\n\x00\xff" + os.urandom(4000)
    attachment.write_bytes(data)
    rc, out = run_poco(smtp_engine, "starttls", "submission", "--auth", "plain", "--subject", SUBJECT,
                       "--body", BODY, "--attach", attachment, "--cafile", engine_cert(smtp_engine))
    assert rc == 0, out
    assert out == ["ehlo ok", "tls yes", "auth PLAIN ok", "sent ok", "quit ok"]

    msgs = wait_for_mail(smtp_engine.data, BOB, 1)
    assert [m[1] for m in msgs] == [SUBJECT]
    assert mailbox_messages(smtp_engine.data, ANN) == []
    [msg] = imap_fetch_all(smtp_engine)
    assert msg["Subject"] == SUBJECT
    assert msg["From"] == ANN and msg["To"] == BOB
    assert "with ESMTPSA id" in msg["Received"] and "using TLSv1." in msg["Received"]
    assert msg.get_content_type() == "multipart/mixed"
    text = msg.get_body(preferencelist=("plain",))
    assert text.get_content_charset() == "utf-8"
    assert lf(text.get_content()) == lf(BODY)
    [part] = list(msg.iter_attachments())
    assert part.get_filename() == "report.bin"
    assert part.get_content_type() == "application/octet-stream"
    assert part.get_content() == data


def test_poco_implicit_tls_auth_login_on_smtps(smtp_engine):
    cert = engine_cert(smtp_engine)
    rc, out = run_poco(smtp_engine, "smtps", "smtps", "--auth", "login", "--subject", "over smtps",
                       "--body", "Ünïcödé über implicit TLS\r\n", "--cafile", cert, "--servername", "mx.example.com")
    assert rc == 0, out
    assert out == ["tls yes", "auth LOGIN ok", "sent ok", "quit ok"]
    wait_for_mail(smtp_engine.data, BOB, 1)
    [msg] = imap_fetch_all(smtp_engine)
    assert msg["Subject"] == "over smtps"
    assert lf(msg.get_body(preferencelist=("plain",)).get_content()) == "Ünïcödé über implicit TLS\n"
    assert "with ESMTPSA id" in msg["Received"]
    # The certificate the engine served is for its host name, not just any name.
    rc, out = run_poco(smtp_engine, "smtps", "smtps", "--cafile", cert, "--servername", "other.example.net")
    assert rc == 1 and out[-1].startswith("error Certificate validation error"), out
    assert len(mailbox_messages(smtp_engine.data, BOB)) == 1


@pytest.mark.parametrize("mode,port,auth", [("starttls", "submission", "plain"), ("smtps", "smtps", "login")])
def test_poco_wrong_password_is_refused_with_535_and_nothing_is_delivered(smtp_engine, mode, port, auth):
    cert = engine_cert(smtp_engine)
    rc, out = run_poco(smtp_engine, mode, port, "--auth", auth, "--subject", "should not arrive",
                       "--cafile", cert, password="not the password")
    assert rc == 3, out
    assert "tls yes" in out and "sent ok" not in out
    assert out[-1].startswith("error 535 ") and "535 5.7.8" in out[-1], out
    # The same client with the right password afterwards: only that message arrives.
    rc, out = run_poco(smtp_engine, mode, port, "--auth", auth, "--subject", "after the refusal", "--cafile", cert)
    assert rc == 0, out
    wait_for_mail(smtp_engine.data, BOB, 1)
    time.sleep(0.5)
    assert [m[1] for m in mailbox_messages(smtp_engine.data, BOB)] == ["after the refusal"]
    log = (smtp_engine.data / "logs" / "mailroomd.log").read_text()
    assert "smtp_auth_failed" in log
    assert PASSWORD not in log and "not the password" not in log


def test_poco_without_tls_submission_refuses_with_530_but_mta_port_delivers(smtp_engine):
    rc, out = run_poco(smtp_engine, "plain", "submission", "--subject", "in clear")
    assert rc == 3, out
    assert out[0] == "ehlo ok" and "sent ok" not in out
    assert out[-1].startswith("error 530 ") and "530 5.7.0" in out[-1], out
    # The same unauthenticated client on the MTA port is inbound mail for a
    # local user, which is accepted.
    rc, out = run_poco(smtp_engine, "plain", "smtp", "--subject", "inbound", user="carol@outside.test")
    assert rc == 0 and out == ["ehlo ok", "sent ok", "quit ok"], out
    wait_for_mail(smtp_engine.data, BOB, 1)
    time.sleep(0.5)
    [msg] = imap_fetch_all(smtp_engine)
    assert msg["Subject"] == "inbound" and msg["From"] == "carol@outside.test"
    assert "with ESMTP id" in msg["Received"]
