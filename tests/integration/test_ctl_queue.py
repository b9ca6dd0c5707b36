"""The queue admin area through mailroomctl and the admin protocol: a message
for a domain whose DNS never answers stays deferred; list, show, hold,
release, retry, bounce (a DSN reaches the sender), delete, unknown ids, and
the queue.changed push for a subscribed client."""
import json
import smtplib
import socket
import ssl
import time

import pytest

from conftest import PASSWORD
from mailpeers import free_udp_port, mailbox_messages, wait_for_mail
from mailroom_harness import Engine, free_port


@pytest.fixture
def queue_engine(tmp_path):
    """Like mail_engine, but DNS points at a loopback port where nothing
    answers, so mail to remote domains stays in the queue, deferred."""
    ports = {s: 0 for s in ("imap", "imaps", "pop3", "pop3s")}
    ports.update(smtp=free_port(), submission=free_port(), smtps=free_port())
    e = Engine(tmp_path / "data", ports=ports,
               extra=["--set", f"dns.nameserver=127.0.0.1:{free_udp_port()}", "--set", "dns.timeout_ms=300",
                      "--set", "queue.retry_first_secs=60", "--set", "queue.retry_max_secs=60",
                      "--set", "auth.failure_delay_ms=0", "--set", "server.hostname=mx.example.com"]).start()
    c = e.client()
    c.call("domains.add", {"name": "example.com"})
    for u in ("ann", "bob"):
        c.call("users.add", {"address": f"{u}@example.com", "password": PASSWORD})
    c.close()
    yield e
    e.stop()


def ok(result):
    assert result.returncode == 0, result.stderr
    return result.stdout


def submit(engine, subject):
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    msg = f"From: ann@example.com\r\nTo: someone@remote.test\r\nSubject: {subject}\r\n\r\nHello.\r\n"
    with smtplib.SMTP("127.0.0.1", engine.ports["submission"], timeout=30) as s:
        s.starttls(context=ctx)
        s.login("ann@example.com", PASSWORD)
        assert s.sendmail("ann@example.com", ["someone@remote.test"], msg.encode()) == {}


def wait_for(predicate, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


def queued(client, subject, state=None):
    """The queue item with this subject (optionally only in that state)."""
    for m in client.list_all("queue.list", {"filter": subject}):
        if m["subject"] == subject and (state is None or m["state"] == state):
            return m
    return None


def wait_for_push(client, queue_id, timeout=10):
    client.sock.settimeout(timeout)
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = client.read_message()
        assert m is not None, "engine closed the connection"
        if m.get("event") == "queue.changed" and (not m["data"] or queue_id in m["data"].get("queueIds", [])):
            return m
    raise AssertionError("no queue.changed push")


def test_queue_list_show_and_actions(queue_engine):
    engine = queue_engine
    c = engine.client()
    submit(engine, "stays deferred")
    item = wait_for(lambda: queued(c, "stays deferred", "deferred"))
    qid = item["queueId"]
    assert item["sender"] == "ann@example.com"
    assert item["recipients"][0]["address"] == "someone@remote.test"
    assert item["recipients"][0]["state"] == "deferred"
    assert item["recipients"][0]["attempts"] >= 1
    assert item["lastError"]

    # mailroomctl list: table and --json
    table = ok(engine.ctl("queue", "list"))
    header, *rows = table.splitlines()
    assert header.split()[:4] == ["ID", "STATE", "FROM", "TO"] and "LAST ERROR" in header
    row = [r for r in rows if r.startswith(qid)][0]
    assert "deferred" in row and "ann@example.com" in row and "someone@remote.test" in row
    listed = json.loads(ok(engine.ctl("--json", "queue", "list", "--state", "deferred")))
    assert [m["queueId"] for m in listed] == [qid]
    assert json.loads(ok(engine.ctl("--json", "queue", "list", "--state", "held"))) == []
    assert json.loads(ok(engine.ctl("--json", "queue", "list", "--filter", "nothing like it"))) == []
    assert len(json.loads(ok(engine.ctl("--json", "queue", "list", "--limit", "1")))) == 1

    # show: ctl text, ctl json and the protocol agree
    shown = c.call("queue.show", {"queueId": qid})
    assert shown["queueId"] == qid and shown["subject"] == "stays deferred"
    assert shown["history"] and all({"time", "recipient", "text"} <= set(h) for h in shown["history"])
    text = ok(engine.ctl("queue", "show", qid))
    assert qid in text and "someone@remote.test" in text and "deferred" in text and "History:" in text
    assert json.loads(ok(engine.ctl("--json", "queue", "show", qid)))["queueId"] == qid

    # a subscriber hears of the hold
    watcher = engine.client()
    watcher.call("queue.subscribe")
    out = ok(engine.ctl("queue", "hold", qid))
    assert "1 message held" in out
    assert queued(c, "stays deferred")["state"] == "held"
    assert all(r["state"] == "held" for r in c.call("queue.show", {"queueId": qid})["recipients"])
    push = wait_for_push(watcher, qid)
    assert push["data"].get("queueIds", [qid]) == [qid]

    assert "1 message released" in ok(engine.ctl("queue", "release", qid))
    assert queued(c, "stays deferred")["state"] in ("queued", "deferred")
    assert "1 message will be tried again" in ok(engine.ctl("queue", "retry", qid))
    assert c.call("queue.retry", {"queueIds": [qid, "NOSUCHID"]}) == {"changed": 1, "missing": ["NOSUCHID"]}
    assert c.call("queue.flush")["changed"] == 1
    wait_for(lambda: queued(c, "stays deferred", "deferred"))
    history = " ".join(h["text"] for h in c.call("queue.show", {"queueId": qid})["history"])
    assert "hold" in history and "release" in history

    # bounce: the message leaves the queue and the sender gets a report
    assert "1 message returned to the sender" in ok(engine.ctl("queue", "bounce", qid))
    # The report leaves at once and the message leaves the queue.
    wait_for(lambda: queued(c, "stays deferred") is None)
    bounces = wait_for_mail(engine.data, "ann@example.com", 1)
    assert len(bounces) == 1
    raw = open(bounces[0][2], "rb").read().decode("utf-8", "replace")
    assert "<MAILER-DAEMON@mx.example.com>" in raw.split("\r\n\r\n")[0]
    assert bounces[0][1] == "Undelivered Mail Returned to Sender"
    assert "returned to sender by the administrator" in raw

    # delete: gone without a report
    submit(engine, "to be deleted")
    qid2 = wait_for(lambda: queued(c, "to be deleted", "deferred"))["queueId"]
    assert "1 message deleted" in ok(engine.ctl("queue", "delete", qid2))
    assert queued(c, "to be deleted") is None
    time.sleep(1)
    assert len(mailbox_messages(engine.data, "ann@example.com")) == 1
    watcher.close()
    c.close()


def test_unknown_ids_and_bad_arguments(queue_engine):
    engine = queue_engine
    for verb in ("retry", "hold", "release", "delete", "bounce"):
        r = engine.ctl("queue", verb, "NOSUCHID")
        assert r.returncode == 1, (verb, r.stdout, r.stderr)
        assert "no queued message NOSUCHID" in r.stderr and "delivered already" in r.stderr
    r = engine.ctl("queue", "show", "NOSUCHID")
    assert r.returncode == 1 and "There is no queued message NOSUCHID" in r.stderr
    r = engine.ctl("queue", "show")
    assert r.returncode == 2 and "missing queue id" in r.stderr
    r = engine.ctl("queue", "list", "--state", "lost")
    assert r.returncode == 1 and "queued, deferred, held or quarantined" in r.stderr
    r = engine.ctl("queue", "list", "--limit", "many")
    assert r.returncode == 2
    assert "0 messages will be tried again now" in ok(engine.ctl("queue", "flush"))

    c = engine.client()
    err = c.error("queue.show", {"queueId": "NOSUCHID"})
    assert err["code"] == "not_found"
    assert c.error("queue.hold", {"queueIds": []})["code"] == "invalid_argument"
    assert c.error("queue.hold", {"queueIds": ["x"] * 10001})["code"] == "invalid_argument"
    assert c.error("queue.list", {"limit": 0})["code"] == "invalid_argument"
    assert c.error("queue.subscribe", {"what": 1})["code"] == "invalid_argument"
    assert c.call("queue.delete", {"queueIds": ["A", "B"]}) == {"changed": 0, "missing": ["A", "B"]}
    assert c.call("queue.list") == {"total": 0, "items": []}
    c.close()


def test_engine_queue_changes_are_pushed(queue_engine):
    engine = queue_engine
    watcher = engine.client()
    watcher.call("queue.subscribe")
    submit(engine, "pushed")
    c = engine.client()
    qid = wait_for(lambda: queued(c, "pushed"))["queueId"]
    wait_for_push(watcher, qid)
    # after unsubscribe, admin actions push nothing to this client
    watcher.call("queue.unsubscribe")
    c.call("queue.hold", {"queueIds": [qid]})
    watcher.sock.settimeout(1)
    try:
        while True:
            m = watcher.read_message()
            assert m is not None, "engine closed the connection"
            assert m.get("event") != "queue.changed", m
    except socket.timeout:
        pass
    c.close()
