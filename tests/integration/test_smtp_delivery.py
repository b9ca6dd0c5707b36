"""Outbound delivery through the real engine: MX records served by dnsmasq,
a real remote SMTP server (aiosmtpd) on loopback, retries on 4xx, DSN
bounces (RFC 3464) on 5xx, delay notices, no bounce to the null sender."""
import contextlib
import email
import email.policy
import smtplib
import sqlite3
import ssl
import time

import pytest

from conftest import PASSWORD
from mailpeers import Dnsmasq, SmtpSink, wait_for_mail, mailbox_messages
from mailroom_harness import Engine, free_port


@pytest.fixture
def world(tmp_path):
    yield from make_world(tmp_path, SmtpSink())


@pytest.fixture
def dsn_world(tmp_path):
    """The same, with a remote server that advertises DSN."""
    yield from make_world(tmp_path, SmtpSink(dsn=True))


def make_world(tmp_path, sink):
    dns = Dnsmasq(mx=[("remote.test", "mx.remote.test", 10), ("remote.test", "mx-dead.remote.test", 5)],
                  hosts=[("mx.remote.test", "127.0.0.1"), ("mx-dead.remote.test", "127.0.0.2")])
    ports = {s: 0 for s in ("imap", "imaps", "pop3", "pop3s")}
    ports.update(smtp=free_port(), submission=free_port(), smtps=free_port())
    e = Engine(tmp_path / "data", ports=ports, extra=[
        "--set", f"dns.nameserver={dns.address}", "--set", f"delivery.port={sink.port}",
        "--set", "delivery.connect_timeout_secs=2", "--set", "queue.retry_first_secs=1",
        "--set", "queue.retry_max_secs=1", "--set", "server.hostname=mx.example.com",
        "--set", "auth.failure_delay_ms=0"])
    try:  # the peers go even when the engine fails to start
        e.start()
        c = e.client()
        c.call("domains.add", {"name": "example.com"})
        c.call("users.add", {"address": "ann@example.com", "password": PASSWORD})
        c.close()
        yield e, sink
        e.stop()
    finally:
        dns.stop()
        sink.stop()


@contextlib.contextmanager
def submission(engine):
    """An smtplib session on the submission port, after STARTTLS and ann's login."""
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with smtplib.SMTP("127.0.0.1", engine.ports["submission"], timeout=30) as s:
        s.starttls(context=ctx)
        s.login("ann@example.com", PASSWORD)
        yield s


def submit(engine, to, subject="outbound", sender="ann@example.com", body="Hello out there.\r\n"):
    msg = f"From: {sender}\r\nTo: {', '.join(to)}\r\nSubject: {subject}\r\n\r\n{body}"
    with submission(engine) as s:
        assert s.sendmail(sender, to, msg.encode()) == {}


def test_delivers_by_mx_skipping_a_dead_preferred_host(world):
    engine, sink = world
    submit(engine, ["dave@remote.test", "erin@Remote.Test"], body=".dot line\r\nplain\r\n")
    (sender, rcpts, content), = sink.wait_for(1)
    assert sender == "ann@example.com"
    assert sorted(r.lower() for r in rcpts) == ["dave@remote.test", "erin@remote.test"]
    assert not content.startswith(b"Return-Path:"), "Return-Path is added at final delivery only"
    assert content.startswith(b"Received: from laptop") or content.startswith(b"Received: from ")
    assert content.endswith(b"\r\n.dot line\r\nplain\r\n")
    # Every recipient done: the message leaves the queue.
    deadline = time.time() + 10
    while queued(engine) and time.time() < deadline:
        time.sleep(0.05)
    assert queued(engine) == 0


def queued(engine):
    db = sqlite3.connect(f"file:{engine.data}/mailroom.db?mode=ro", uri=True, timeout=30)
    try:
        return db.execute("SELECT COUNT(*) FROM queue_messages").fetchone()[0]
    finally:
        db.close()


def test_temporary_failure_is_retried_until_it_succeeds(world):
    engine, sink = world
    submit(engine, ["defer-once@remote.test"], subject="retry me")
    (sender, rcpts, content), = sink.wait_for(1, timeout=30)
    assert rcpts == ["defer-once@remote.test"]
    assert b"Subject: retry me" in content
    log = (engine.data / "logs" / "mailroomd.log").read_text()
    assert "message_deferred" in log and "451" in log


def test_permanent_failure_bounces_to_the_sender_with_a_dsn(world):
    engine, sink = world
    submit(engine, ["reject@remote.test", "fine@remote.test"], subject="half bounces")
    sink.wait_for(1)
    bounces = wait_for_mail(engine.data, "ann@example.com", 1)
    assert len(bounces) == 1
    msg = email.message_from_bytes(open(bounces[0][2], "rb").read(), policy=email.policy.default)
    assert msg["Return-Path"] == "<>"
    assert "<MAILER-DAEMON@mx.example.com>" in msg["From"]
    assert msg.get_content_type() == "multipart/report"
    assert msg.get_param("report-type") == "delivery-status"
    status = [p for p in msg.iter_parts() if p.get_content_type() == "message/delivery-status"][0]
    blocks = status.get_payload()
    per_recipient = [b for b in blocks if b.get("Final-Recipient")]
    assert len(per_recipient) == 1, "only the refused recipient is reported"
    assert "reject@remote.test" in per_recipient[0]["Final-Recipient"]
    assert per_recipient[0]["Action"] == "failed"
    assert per_recipient[0]["Status"] == "5.1.1"
    assert "550" in per_recipient[0]["Diagnostic-Code"]
    returned = [p for p in msg.iter_parts() if p.get_content_type() in ("text/rfc822-headers", "message/rfc822")]
    assert returned and "half bounces" in returned[0].as_string()


def test_no_bounce_for_the_null_sender(world):
    engine, sink = world
    with submission(engine) as s:
        assert s.sendmail("", ["reject@remote.test"], b"Subject: a bounce of ours\r\n\r\nx\r\n") == {}
    time.sleep(3)
    log = (engine.data / "logs" / "mailroomd.log").read_text()
    assert "message_bounced" in log
    assert mailbox_messages(engine.data, "ann@example.com") == []


def test_delay_notice_once(world):
    engine, sink = world
    c = engine.client()
    c.call("settings.set", {"name": "queue.delay_warning_secs", "value": "1"})
    c.close()
    submit(engine, ["defer-always@remote.test"], subject="slow")
    notices = wait_for_mail(engine.data, "ann@example.com", 1, timeout=20)
    assert len(notices) == 1
    msg = email.message_from_bytes(open(notices[0][2], "rb").read(), policy=email.policy.default)
    assert "Delayed" in msg["Subject"]
    status = [p for p in msg.iter_parts() if p.get_content_type() == "message/delivery-status"][0]
    rcpt = [b for b in status.get_payload() if b.get("Final-Recipient")][0]
    assert rcpt["Action"] == "delayed"
    time.sleep(4)  # more retries happen; still one notice
    assert len(mailbox_messages(engine.data, "ann@example.com")) == 1


def test_smarthost_password_is_write_only(world):
    engine, _ = world
    c = engine.client()
    assert c.call("settings.set", {"name": "relay.password", "value": "relay-secret-42"})["value"] == "********"
    assert c.call("settings.get", {"name": "relay.password"})["value"] == "********"
    c.close()
    r = engine.ctl("settings", "list")
    assert "relay-secret-42" not in r.stdout
    time.sleep(0.5)  # the log batch reaches logs.db within ~200 ms
    assert "relay-secret-42" not in (engine.data / "logs" / "mailroomd.log").read_text()
    logs = engine.client().call("logs.query", {"limit": 1000})
    assert "relay-secret-42" not in str(logs)


def test_notify_success_reports_delivery_and_relay(world):
    """RCPT NOTIFY=SUCCESS (RFC 3461): a "delivered" report for a local
    mailbox and a "relayed" one for a remote server that was not asked to
    report further; headers only. Without NOTIFY, no success report."""
    engine, sink = world
    msg = b"From: ann@example.com\r\nSubject: tell me it arrived\r\n\r\nsecret body text\r\n"
    with submission(engine) as s:
        assert s.sendmail("ann@example.com", ["ann@example.com", "fine@remote.test"], msg,
                          rcpt_options=["NOTIFY=SUCCESS,FAILURE"]) == {}
        assert s.sendmail("ann@example.com", ["ann@example.com"], b"Subject: no report wanted\r\n\r\nx\r\n") == {}
    sink.wait_for(1)
    # Ann's Inbox: both messages, and one report per recipient of the first.
    msgs = wait_for_mail(engine.data, "ann@example.com", 4)
    parsed = [email.message_from_bytes(open(m[2], "rb").read(), policy=email.policy.default) for m in msgs]
    reports = [p for p in parsed if p.get_content_type() == "multipart/report"]
    assert len(parsed) == 4 and len(reports) == 2
    actions = {}
    for r in reports:
        assert r["Return-Path"] == "<>"
        status = [p for p in r.iter_parts() if p.get_content_type() == "message/delivery-status"][0]
        block = [b for b in status.get_payload() if b.get("Final-Recipient")][0]
        actions[block["Final-Recipient"].split(";")[-1].strip().lower()] = (block["Action"], block["Status"])
        returned = [p for p in r.iter_parts() if p.get_content_type() in ("text/rfc822-headers", "message/rfc822")]
        assert returned[0].get_content_type() == "text/rfc822-headers"
        assert "tell me it arrived" in returned[0].as_string()
        assert "secret body text" not in r.as_string()
    assert {a: (act, st[:2]) for a, (act, st) in actions.items()} == {
        "ann@example.com": ("delivered", "2."), "fine@remote.test": ("relayed", "2.")}
    time.sleep(1)
    assert len(mailbox_messages(engine.data, "ann@example.com")) == 4, "no report for the message without NOTIFY"


def test_dsn_parameters_pass_to_a_next_hop_that_offers_dsn(dsn_world):
    """RFC 3461 §4.1: a relay passes RET, ENVID, NOTIFY and ORCPT on to a
    server that advertises DSN, which then reports for itself: no "relayed"
    report comes from us."""
    engine, sink = dsn_world
    msg = b"From: ann@example.com\r\nSubject: passed on\r\n\r\nbody\r\n"
    with submission(engine) as s:
        s.ehlo()
        assert s.has_extn("dsn")
        assert s.sendmail("ann@example.com", ["fine@remote.test", "other@remote.test"], msg,
                          mail_options=["RET=HDRS", "ENVID=job+2B42"],
                          rcpt_options=["NOTIFY=SUCCESS,DELAY", "ORCPT=rfc822;Fine@Remote.test"]) == {}
    got = sink.wait_for(1)
    assert sorted(got[0][1]) == ["fine@remote.test", "other@remote.test"]
    params = sink.handler.dsn_params
    assert ("MAIL", {"RET": "HDRS", "ENVID": "job+2B42"}) in params
    assert ("RCPT", "fine@remote.test", {"NOTIFY": "SUCCESS,DELAY", "ORCPT": "rfc822;Fine@Remote.test"}) in params
    time.sleep(1.5)
    assert mailbox_messages(engine.data, "ann@example.com") == [], "the next hop reports, not us"
