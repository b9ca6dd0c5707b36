"""DKIM signing of outbound mail, end to end: keys made with mailroomctl, their
TXT records served by dnsmasq, `dkim check` through the engine's DNS,
activation (refused while the record is missing), then mail submitted with
smtplib and received by a real remote server (aiosmtpd) verifies with dkimpy
for both the RSA and the Ed25519 signature (RFC 8463 dual signing). Inbound
mail from the Internet is not signed, the engine's bounces are, and removing
a domain removes its key files."""
import contextlib
import json
import os
import smtplib
import sqlite3
import ssl
import stat
import time

import dkim  # Debian python3-dkim (dkimpy), with python3-nacl for Ed25519
import dns.resolver
import pytest

from conftest import PASSWORD
from mailpeers import Dnsmasq, SmtpSink, free_udp_port, mailbox_messages, wait_for_mail
from mailroom_harness import Engine, free_port

MX = [("remote.test", "mx.remote.test", 10)]
HOSTS = [("mx.remote.test", "127.0.0.1")]
# dnsmasq answers for example.com itself (NXDOMAIN for names it does not
# have) instead of refusing it for want of an upstream server.
LOCAL = ["--local=/example.com/"]


class World:
    def __init__(self, tmp_path):
        self.dns_port = free_udp_port()
        self.dns = Dnsmasq(mx=MX, hosts=HOSTS, extra=LOCAL, port=self.dns_port)
        self.sink = SmtpSink()
        ports = {s: 0 for s in ("imap", "imaps", "pop3", "pop3s")}
        ports.update(smtp=free_port(), submission=free_port(), smtps=free_port())
        self.engine = Engine(tmp_path / "data", ports=ports, extra=[
            "--set", f"dns.nameserver=127.0.0.1:{self.dns_port}", "--set", "dns.timeout_ms=1000",
            "--set", f"delivery.port={self.sink.port}", "--set", "delivery.connect_timeout_secs=2",
            "--set", "queue.retry_first_secs=1", "--set", "queue.retry_max_secs=1",
            "--set", "server.hostname=mx.example.com", "--set", "auth.failure_delay_ms=0"])

    def publish(self, keys):
        """Restarts dnsmasq on the same port with the keys' TXT records (at
        most 255 octets per string; DNS joins them again)."""
        self.dns.stop()
        txt = []
        for k in keys:
            chunks = [k["record"][i:i + 250] for i in range(0, len(k["record"]), 250)]
            txt.append((k["recordName"], ",".join(chunks)))
        self.dns = Dnsmasq(mx=MX, hosts=HOSTS, txt=txt, extra=LOCAL, port=self.dns_port)

    def txt(self, name, timeout=5):
        """dkimpy's DNS: the TXT record as dnsmasq serves it."""
        r = dns.resolver.Resolver(configure=False)
        r.nameservers = ["127.0.0.1"]
        r.port = self.dns_port
        name = name.decode() if isinstance(name, bytes) else name
        answer = r.resolve(name.rstrip("."), "TXT", lifetime=timeout)
        return b"".join(b"".join(rr.strings) for rr in answer)

    def ctl(self, *args):
        return self.engine.ctl(*args)


@pytest.fixture
def world(tmp_path):
    w = World(tmp_path)
    try:
        w.engine.start()
        c = w.engine.client()
        c.call("domains.add", {"name": "example.com"})
        c.call("users.add", {"address": "ann@example.com", "password": PASSWORD})
        c.close()
        yield w
        w.engine.stop()
    finally:
        w.dns.stop()
        w.sink.stop()


def ok(result):
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@contextlib.contextmanager
def submission(engine):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with smtplib.SMTP("127.0.0.1", engine.ports["submission"], timeout=30) as s:
        s.starttls(context=ctx)
        s.login("ann@example.com", PASSWORD)
        yield s


def submit(engine, to, subject):
    msg = (f"From: Ann <ann@example.com>\r\nTo: {', '.join(to)}\r\nSubject: {subject}\r\n"
           f"Date: Mon, 02 Nov 2026 10:00:00 +0000\r\nMessage-ID: <{subject.replace(' ', '.')}@example.com>\r\n"
           "\r\nHello out there.\r\n.dot line\r\n")
    with submission(engine) as s:
        assert s.sendmail("ann@example.com", to, msg.encode()) == {}


def signatures(message):
    """The DKIM-Signature fields of a message as {tag: value} dicts, top first."""
    head = message.split(b"\r\n\r\n", 1)[0].decode()
    fields, current = [], None
    for line in head.split("\r\n"):
        if line[:1] in (" ", "\t") and current is not None:
            current += line
            continue
        if current is not None:
            fields.append(current)
        current = line
    fields.append(current)
    out = []
    for f in fields:
        name, _, value = f.partition(":")
        if name.lower() == "dkim-signature":
            tags = {}
            for part in value.split(";"):
                k, _, v = part.strip().partition("=")
                tags[k.strip()] = "".join(v.split())
            out.append(tags)
    return out


def verify_all(world, message):
    """dkimpy verifies every DKIM-Signature with the records dnsmasq serves."""
    d = dkim.DKIM(message)
    sigs = signatures(message)
    for i in range(len(sigs)):
        assert d.verify(idx=i, dnsfunc=world.txt), f"signature {i} ({sigs[i].get('a')}) does not verify"
    return sigs


def make_keys(world):
    rsa = json.loads(ok(world.ctl("--json", "dkim", "create", "example.com")))
    ed = json.loads(ok(world.ctl("--json", "dkim", "create", "example.com", "--ed25519")))
    return rsa, ed


def test_dual_signatures_verify_at_the_remote_server(world):
    rsa, ed = make_keys(world)
    month = time.strftime("%Y%m")
    assert rsa["selector"] in (f"mr{month}r", f"mr{time.strftime('%Y%m', time.gmtime())}r")
    assert rsa["algorithm"] == "rsa-sha256" and rsa["state"] == "pending"
    assert ed["algorithm"] == "ed25519-sha256" and ed["selector"].endswith("e")
    assert rsa["recordName"] == f"{rsa['selector']}._domainkey.example.com"
    assert rsa["record"].startswith("v=DKIM1; k=rsa; p=")
    assert ed["record"].startswith("v=DKIM1; k=ed25519; p=")
    listed = ok(world.ctl("dkim", "list", "example.com"))
    assert f"{ed['recordName']}. IN TXT \"{ed['record']}\"" in listed
    assert f"{rsa['recordName']}. IN TXT (" in listed  # longer than one string: split for zone files

    # Not published yet: check says so, activation is refused.
    r = world.ctl("dkim", "check", "example.com", rsa["selector"])
    assert r.returncode == 1 and "published: no" in r.stdout, r.stdout + r.stderr
    r = world.ctl("dkim", "activate", "example.com", rsa["selector"])
    assert r.returncode == 1
    assert "Not activated" in r.stderr and "no TXT record" in r.stderr and "force" in r.stderr, r.stderr

    world.publish([rsa, ed])
    for key in (rsa, ed):
        out = ok(world.ctl("dkim", "check", "example.com", key["selector"]))
        assert "published: yes" in out and "matches:   yes" in out, out
        c = world.engine.client()
        check = c.call("dkim.check", {"domain": "example.com", "selector": key["selector"]})
        c.close()
        assert check["published"] and check["matches"]
        assert check["found"] == [key["record"]]
        out = ok(world.ctl("dkim", "activate", "example.com", key["selector"]))
        assert "signs mail from example.com now" in out

    submit(world.engine, ["dave@remote.test"], "dual signed")
    (sender, rcpts, content), = world.sink.wait_for(1)
    sigs = verify_all(world, content)
    assert sorted(s["a"] for s in sigs) == ["ed25519-sha256", "rsa-sha256"]
    for s in sigs:
        assert s["d"] == "example.com" and s["c"] == "relaxed/relaxed"
        assert s["t"].isdigit() and abs(int(s["t"]) - time.time()) < 300
        assert s["h"].lower().split(":").count("from") == 2, "From is oversigned"
    assert {s["s"] for s in sigs} == {rsa["selector"], ed["selector"]}
    # The signatures cover what the remote got: a changed body fails.
    assert not dkim.verify(content.replace(b"Hello out there.", b"Hello out there!"), dnsfunc=world.txt)

    state = {k["selector"]: k["state"] for k in json.loads(ok(world.ctl("--json", "dkim", "list")))}
    assert state == {rsa["selector"]: "active", ed["selector"]: "active"}


def test_a_new_key_replaces_the_active_one_of_its_algorithm(world):
    rsa, ed = make_keys(world)
    c = world.engine.client()
    for k in (rsa, ed):
        c.call("dkim.activate", {"domain": "example.com", "selector": k["selector"], "force": True})
    new = c.call("dkim.create", {"domain": "example.com", "algorithm": "rsa", "selector": "next"})
    assert new["selector"] == "next" and new["state"] == "pending"
    err = c.error("dkim.create", {"domain": "example.com", "selector": "next"})
    assert err["code"] == "already_exists"
    err = c.error("dkim.create", {"domain": "example.com", "selector": "../evil"})
    assert err["code"] == "invalid_argument"
    err = c.error("dkim.create", {"domain": "example.com", "algorithm": "dsa"})
    assert err["code"] == "invalid_argument"
    err = c.error("dkim.create", {"domain": "nowhere.example"})
    assert err["code"] == "not_found"
    act = c.call("dkim.activate", {"domain": "example.com", "selector": "next", "force": True})
    assert act["state"] == "active" and act["retiredSelector"] == rsa["selector"]
    keys = {k["selector"]: k for k in c.call("dkim.list", {"domain": "example.com"})["items"]}
    assert keys[rsa["selector"]]["state"] == "retired" and keys[rsa["selector"]]["retired"]
    assert keys[ed["selector"]]["state"] == "active"
    # An active key is deleted only with force; a retired one at once.
    err = c.error("dkim.delete", {"domain": "example.com", "selector": "next"})
    assert err["code"] == "conflict" and "force" in err["message"]
    c.call("dkim.delete", {"domain": "example.com", "selector": rsa["selector"]})
    assert not (world.engine.data / "dkim" / "example.com" / f"{rsa['selector']}.pem").exists()
    err = c.error("dkim.check", {"domain": "example.com", "selector": rsa["selector"]})
    assert err["code"] == "not_found"
    c.close()
    ok(world.ctl("dkim", "delete", "example.com", "next", "--force"))

    # Only the Ed25519 key signs now.
    world.publish([ed])
    submit(world.engine, ["dave@remote.test"], "ed only")
    (_, _, content), = world.sink.wait_for(1)
    sigs = verify_all(world, content)
    assert [s["a"] for s in sigs] == ["ed25519-sha256"]


def test_inbound_internet_mail_is_not_signed(world):
    rsa, ed = make_keys(world)
    for k in (rsa, ed):
        ok(world.ctl("dkim", "activate", "example.com", k["selector"], "--force"))
    # A message from outside on port 25, even one whose From claims our domain.
    msg = (b"From: Someone <someone@example.com>\r\nTo: ann@example.com\r\nSubject: from outside\r\n"
           b"Date: Mon, 02 Nov 2026 10:00:00 +0000\r\nMessage-ID: <outside@remote.test>\r\n\r\nHi Ann.\r\n")
    with smtplib.SMTP("127.0.0.1", world.engine.ports["smtp"], timeout=30) as s:
        s.ehlo("mail.remote.test")
        assert s.sendmail("someone@remote.test", ["ann@example.com"], msg) == {}
    deadline = time.time() + 30
    stored = []
    while not stored and time.time() < deadline:
        stored = mailbox_messages(world.engine.data, "ann@example.com") + \
            mailbox_messages(world.engine.data, "ann@example.com", "Junk")
        time.sleep(0.05)
    assert stored, "the inbound message was not delivered"
    content = open(stored[0][2], "rb").read()
    assert b"Subject: from outside" in content
    assert signatures(content) == [], "inbound mail must not get our signature"


def test_bounces_from_the_engine_are_signed(world):
    rsa, ed = make_keys(world)
    world.publish([rsa, ed])
    for k in (rsa, ed):
        ok(world.ctl("dkim", "activate", "example.com", k["selector"]))
    submit(world.engine, ["reject@remote.test"], "will bounce")
    bounces = wait_for_mail(world.engine.data, "ann@example.com", 1)
    assert len(bounces) == 1, "no bounce arrived"
    content = open(bounces[0][2], "rb").read()
    assert content.startswith(b"Return-Path: <>\r\nDKIM-Signature:")
    assert b"MAILER-DAEMON@mx.example.com" in content
    # From is MAILER-DAEMON@mx.example.com: example.com signs (relaxed DMARC alignment).
    sigs = verify_all(world, content)
    assert sorted(s["a"] for s in sigs) == ["ed25519-sha256", "rsa-sha256"]
    assert all(s["d"] == "example.com" for s in sigs)


def test_removing_a_domain_removes_its_keys(world):
    c = world.engine.client()
    c.call("domains.add", {"name": "other.example"})
    key = c.call("dkim.create", {"domain": "other.example", "algorithm": "ed25519"})
    folder = world.engine.data / "dkim" / "other.example"
    pem = folder / f"{key['selector']}.pem"
    assert pem.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    assert stat.S_IMODE(os.stat(pem).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(world.engine.data / "dkim").st_mode) == 0o700
    c.call("dkim.activate", {"domain": "other.example", "selector": key["selector"], "force": True})
    c.call("domains.remove", {"name": "other.example"})
    assert not folder.exists()
    assert c.error("dkim.list", {"domain": "other.example"})["code"] == "not_found"
    assert c.call("dkim.list", {})["items"] == []
    # Added again, the domain starts without keys.
    c.call("domains.add", {"name": "other.example"})
    assert c.call("dkim.list", {"domain": "other.example"})["items"] == []
    c.close()


def test_a_user_gets_no_signature_for_another_local_domain(world):
    """Ann may not have mail "From: boss@other.example" signed by other.example,
    though both domains are ours; her own domain still signs."""
    c = world.engine.client()
    c.call("domains.add", {"name": "other.example"})
    keys = [c.call("dkim.create", {"domain": d, "algorithm": "ed25519"}) for d in ("example.com", "other.example")]
    for k in keys:
        c.call("dkim.activate", {"domain": k["domain"], "selector": k["selector"], "force": True})
    c.close()
    world.publish(keys)
    forged = ("From: The Boss <boss@other.example>\r\nTo: dave@remote.test\r\nSubject: wire the money\r\n"
              "Date: Mon, 02 Nov 2026 10:00:00 +0000\r\nMessage-ID: <forged@example.com>\r\n\r\nToday.\r\n")
    with submission(world.engine) as s:
        assert s.sendmail("ann@example.com", ["dave@remote.test"], forged.encode()) == {}
    (_, _, content), = world.sink.wait_for(1)
    assert b"Subject: wire the money" in content
    assert signatures(content) == [], "another domain's key must not sign Ann's mail"
    submit(world.engine, ["dave@remote.test"], "her own")
    got = world.sink.wait_for(2)
    own = [m for _, _, m in got if b"Subject: her own" in m][0]
    assert [s["d"] for s in verify_all(world, own)] == ["example.com"]


def test_a_retired_key_goes_after_dkim_retired_keep_days(world):
    """After a rotation the old key stays for dkim.retired_keep_days, then its
    row and file go and the log names the TXT record to remove."""
    c = world.engine.client()
    old = c.call("dkim.create", {"domain": "example.com", "algorithm": "rsa", "selector": "old"})
    c.call("dkim.create", {"domain": "example.com", "algorithm": "rsa", "selector": "new"})
    for sel in ("old", "new"):
        c.call("dkim.activate", {"domain": "example.com", "selector": sel, "force": True})
    keys = {k["selector"]: k["state"] for k in c.call("dkim.list", {"domain": "example.com"})["items"]}
    assert keys == {"old": "retired", "new": "active"}
    pem = world.engine.data / "dkim" / "example.com" / "old.pem"
    assert pem.exists()
    # Forty days pass for the retired key (its retirement time moves back).
    db = sqlite3.connect(world.engine.data / "mailroom.db", timeout=30)
    with db:
        db.execute("UPDATE dkim_keys SET retired = retired - 40 * 86400000 WHERE selector = 'old'")
    db.close()
    c.call("settings.set", {"name": "dkim.retired_keep_days", "value": "31"})  # a change runs the sweep
    deadline = time.time() + 10
    while pem.exists() and time.time() < deadline:
        time.sleep(0.05)
    assert not pem.exists(), "the retired key file is still there"
    keys = {k["selector"]: k["state"] for k in c.call("dkim.list", {"domain": "example.com"})["items"]}
    assert keys == {"new": "active"}
    # Events reach the log store in batches (about every 200 ms).
    wanted = f"retired DKIM key old of example.com deleted after 40 days; its TXT record {old['recordName']} can go"
    deadline = time.time() + 10
    while True:
        texts = [r["text"] for r in c.call("logs.query", {"module": "store", "limit": 200})["items"]]
        if any(wanted in t for t in texts) or time.time() > deadline:
            break
        time.sleep(0.1)
    assert any(wanted in t for t in texts), texts
    c.close()
