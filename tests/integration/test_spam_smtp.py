"""The spam pipeline on real inbound SMTP (port 25, Python's smtplib), with
DNS from dnsmasq on loopback: SPF, DKIM (signed by dkimpy), DMARC, reverse
DNS and a DNS block list answer for the sending address. What a user checks:
where the message lands, its Authentication-Results and X-Spam headers, a
refusal at SMTP time, forged results removed, and submitted mail untouched."""
import base64
import email
import email.policy
import smtplib
import ssl
import time

import dkim  # Debian python3-dkim (dkimpy), with python3-nacl for Ed25519
import nacl.signing
import pytest

from conftest import PASSWORD
from mailpeers import Dnsmasq, mailbox_messages, wait_for_mail
from mailroom_harness import Engine, free_port


@pytest.fixture
def world(tmp_path):
    key = nacl.signing.SigningKey.generate()
    public = base64.b64encode(bytes(key.verify_key)).decode()
    dns = Dnsmasq(
        hosts=[("mail.good.test", "127.0.0.1")],
        txt=[("good.test", "v=spf1 ip4:127.0.0.1 -all"),
             ("sel._domainkey.good.test", f"v=DKIM1; k=ed25519; p={public}"),
             ("_dmarc.good.test", "v=DMARC1; p=reject"),
             ("bad.test", "v=spf1 ip4:192.0.2.1 -all"),
             ("_dmarc.bad.test", "v=DMARC1; p=reject")],
        extra=["--ptr-record=1.0.0.127.in-addr.arpa,mail.good.test",
               "--address=/1.0.0.127.bl.test/127.0.0.2"])
    ports = {s: 0 for s in ("imap", "imaps", "pop3", "pop3s", "smtps")}
    ports.update(smtp=free_port(), submission=free_port())
    e = Engine(tmp_path / "data", ports=ports, extra=[
        "--set", f"dns.nameserver={dns.address}", "--set", "server.hostname=mx.example.com",
        "--set", "auth.failure_delay_ms=0", "--set", "spam.junk_score=4"])
    try:
        e.start()
        c = e.client()
        c.call("domains.add", {"name": "example.com"})
        c.call("users.add", {"address": "ann@example.com", "password": PASSWORD})
        c.close()
        yield e, base64.b64encode(bytes(key))
        e.stop()
    finally:
        dns.stop()


def message(sender, subject, extra=""):
    return (f"From: {sender}\r\nTo: ann@example.com\r\nSubject: {subject}\r\n"
            f"Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <{abs(hash(subject))}@{sender.split('@')[1]}>\r\n"
            f"{extra}\r\nHello Ann, the quarterly figures are attached as promised.\r\n").encode()


def send_inbound(engine, sender, msg, helo="mail.good.test"):
    with smtplib.SMTP("127.0.0.1", engine.ports["smtp"], local_hostname=helo, timeout=60) as s:
        return s.sendmail(sender, ["ann@example.com"], msg)


def stored(path):
    return email.message_from_bytes(open(path, "rb").read(), policy=email.policy.compat32)


def test_authenticated_sender_lands_in_inbox_with_results(world):
    engine, private = world
    msg = message("bob@good.test", "figures")
    signed = dkim.sign(msg, b"sel", b"good.test", private, signature_algorithm=b"ed25519-sha256",
                       include_headers=[b"from", b"to", b"subject", b"date", b"message-id"])
    assert send_inbound(engine, "bob@good.test", signed + msg) == {}
    got = stored(wait_for_mail(engine.data, "ann@example.com", 1)[0][2])
    results = got.get_all("Authentication-Results")
    assert len(results) == 1
    ar = " ".join(results[0].split())
    assert ar.startswith("mx.example.com;")
    assert "spf=pass smtp.mailfrom=good.test" in ar
    assert "dkim=pass header.d=good.test header.s=sel" in ar
    assert "dmarc=pass header.from=good.test" in ar
    tags = " ".join(got["X-Spam-Tags"].split()).replace(" ", "").split(",")
    for t in ("SPF_PASS", "DKIM_VALID", "DKIM_VALID_AU", "DMARC_PASS"):
        assert t in tags
    assert "RDNS_NONE" not in tags and "RDNS_MISMATCH" not in tags
    assert got["X-Spam-Status"].startswith("No, score=")
    assert float(got["X-Spam-Score"]) < 4


def test_spf_and_dmarc_failure_is_filed_into_junk(world):
    engine, _ = world
    assert send_inbound(engine, "eve@bad.test", message("eve@bad.test", "invoice")) == {}
    junk = wait_for_mail(engine.data, "ann@example.com", 1, mailbox="Junk")
    assert len(junk) == 1 and mailbox_messages(engine.data, "ann@example.com") == []
    got = stored(junk[0][2])
    assert got["X-Spam-Status"].startswith("Yes, score=")
    tags = got["X-Spam-Tags"].replace("\r\n\t", "").replace(" ", "").split(",")
    assert "SPF_FAIL" in tags and "DMARC_REJECT" in tags
    ar = " ".join(got["Authentication-Results"].split())
    assert "spf=fail smtp.mailfrom=bad.test" in ar and "dmarc=fail header.from=bad.test" in ar


def test_block_list_and_reject_score_refuse_at_smtp_time(world):
    engine, _ = world
    c = engine.client()
    # Changed while running, as an admin would in the console.
    c.call("settings.set", {"name": "spam.dnsbl_zones", "value": "bl.test"})
    c.call("settings.set", {"name": "spam.reject_score", "value": "6"})
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send_inbound(engine, "eve@bad.test", message("eve@bad.test", "act now"))
    assert refused.value.smtp_code == 554 and b"5.7.1" in refused.value.smtp_error
    assert mailbox_messages(engine.data, "ann@example.com", "Junk") == []
    # The refusal is logged with the tags that made it.
    deadline = time.time() + 10
    while not any("DNSBL_LISTED" in r["text"] for r in c.call("logs.query", {"module": "smtp", "limit": 50})["items"]):
        assert time.time() < deadline, "no log line names the tags"
        time.sleep(0.1)


def test_forged_results_are_removed_and_others_kept(world):
    engine, _ = world
    forged = ("X-Spam-Status: No, score=-100\r\nX-Spam-Score: -100\r\n"
              "Authentication-Results: mx.example.com; spf=pass smtp.mailfrom=bank.test\r\n"
              "Authentication-Results: relay.partner.test; dkim=pass header.d=partner.test\r\n")
    assert send_inbound(engine, "bob@good.test", message("bob@good.test", "hello", extra=forged)) == {}
    got = stored(wait_for_mail(engine.data, "ann@example.com", 1)[0][2])
    results = [" ".join(r.split()) for r in got.get_all("Authentication-Results")]
    assert len(results) == 2
    assert results[0].startswith("mx.example.com;") and "bank.test" not in results[0]
    assert results[1].startswith("relay.partner.test;")
    assert len(got.get_all("X-Spam-Status")) == 1 and "-100" not in got["X-Spam-Status"]
    assert got.get_all("X-Spam-Score") == [got["X-Spam-Score"]] and got["X-Spam-Score"] != "-100"


def test_mail_from_logged_in_users_is_not_filtered(world):
    engine, _ = world
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with smtplib.SMTP("127.0.0.1", engine.ports["submission"], timeout=30) as s:
        s.starttls(context=ctx)
        s.login("ann@example.com", PASSWORD)
        assert s.sendmail("ann@example.com", ["ann@example.com"], message("ann@example.com", "note to self")) == {}
    got = stored(wait_for_mail(engine.data, "ann@example.com", 1)[0][2])
    assert got["X-Spam-Score"] is None and got["Authentication-Results"] is None
