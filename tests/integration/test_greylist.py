"""Greylisting (RFC 6647) with a real sending server that retries: a second
mailroomd relays to the first through MX records served by dnsmasq. Its
first try is answered 451 4.7.1, its queue tries again, and the retry after
the delay passes; later mail from the same network passes at once."""
import smtplib
import ssl
import time

import pytest

from conftest import PASSWORD
from mailpeers import Dnsmasq, mailbox_messages, wait_for_mail
from mailroom_harness import Engine, free_port


def smtp_ports():
    ports = {s: 0 for s in ("imap", "imaps", "pop3", "pop3s", "smtps")}
    ports.update(smtp=free_port(), submission=free_port())
    return ports


@pytest.fixture
def two_servers(tmp_path):
    receiver_ports = smtp_ports()
    dns = Dnsmasq(mx=[("example.com", "mx.example.com", 10)], hosts=[("mx.example.com", "127.0.0.1")])
    common = ["--set", f"dns.nameserver={dns.address}", "--set", "auth.failure_delay_ms=0"]
    receiver = Engine(tmp_path / "receiver", ports=receiver_ports, extra=common + [
        "--set", "server.hostname=mx.example.com", "--set", "spam.greylist=true",
        "--set", "spam.greylist_delay_secs=3"])
    sender = Engine(tmp_path / "sender", ports=smtp_ports(), extra=common + [
        "--set", "server.hostname=out.sender.test", "--set", f"delivery.port={receiver_ports['smtp']}",
        "--set", "queue.retry_first_secs=1", "--set", "queue.retry_max_secs=1"])
    try:
        receiver.start()
        sender.start()
        c = receiver.client()
        c.call("domains.add", {"name": "example.com"})
        c.call("users.add", {"address": "ann@example.com", "password": PASSWORD})
        c = sender.client()
        c.call("domains.add", {"name": "sender.test"})
        for u in ("sam", "sue"):
            c.call("users.add", {"address": f"{u}@sender.test", "password": PASSWORD})
        yield receiver, sender
    finally:
        for e in (sender, receiver):
            if e.proc:
                e.stop()
        dns.stop()


def submit(engine, sender, subject):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    msg = f"From: {sender}\r\nTo: ann@example.com\r\nSubject: {subject}\r\n\r\nHello Ann.\r\n".encode()
    with smtplib.SMTP("127.0.0.1", engine.ports["submission"], timeout=30) as s:
        s.starttls(context=ctx)
        s.login(sender, PASSWORD)
        assert s.sendmail(sender, ["ann@example.com"], msg) == {}


def log_texts(engine, module):
    return [r["text"] for r in engine.client().call("logs.query", {"module": module, "limit": 200})["items"]]


def test_the_senders_retry_passes_and_its_network_is_then_allowed(two_servers):
    receiver, sender = two_servers
    started = time.time()
    submit(sender, "sam@sender.test", "first contact")
    got = wait_for_mail(receiver.data, "ann@example.com", 1, timeout=60)
    waited = time.time() - started
    assert [m[1] for m in got] == ["first contact"]
    assert waited >= 3, "delivered before the greylisting delay"
    # The sending server was told to come back, and came back.
    deadline = time.time() + 10
    while not any("4.7.1" in t and "deferred" in t for t in log_texts(sender, "delivery")):
        assert time.time() < deadline, log_texts(sender, "delivery")
        time.sleep(0.2)
    assert any("greylisted" in t for t in log_texts(receiver, "smtp"))

    # The network passed once: another sender from it gets through at once.
    started = time.time()
    submit(sender, "sue@sender.test", "second message")
    got = wait_for_mail(receiver.data, "ann@example.com", 2, timeout=30)
    assert [m[1] for m in got] == ["first contact", "second message"]
    assert time.time() - started < 3
    assert len(mailbox_messages(receiver.data, "ann@example.com")) == 2, "each message exactly once"


def test_first_try_is_answered_451_with_the_enhanced_code(two_servers):
    receiver, _ = two_servers
    msg = b"From: bob@elsewhere.test\r\nSubject: hi\r\n\r\nhello\r\n"
    with smtplib.SMTP("127.0.0.1", receiver.ports["smtp"], local_hostname="mail.elsewhere.test", timeout=30) as s:
        with pytest.raises(smtplib.SMTPDataError) as e:
            s.sendmail("bob@elsewhere.test", ["ann@example.com"], msg)
        assert e.value.smtp_code == 451 and e.value.smtp_error.startswith(b"4.7.1")
        # Too early: still waiting.
        with pytest.raises(smtplib.SMTPDataError):
            s.sendmail("bob@elsewhere.test", ["ann@example.com"], msg)
    assert mailbox_messages(receiver.data, "ann@example.com") == []
    time.sleep(3.2)
    with smtplib.SMTP("127.0.0.1", receiver.ports["smtp"], local_hostname="mail.elsewhere.test", timeout=30) as s:
        assert s.sendmail("bob@elsewhere.test", ["ann@example.com"], msg) == {}
    assert len(wait_for_mail(receiver.data, "ann@example.com", 1)) == 1
