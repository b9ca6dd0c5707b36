"""What admins decide about spam, on real inbound SMTP (port 25, smtplib)
with DNS from dnsmasq: the quarantine (release delivers and can train ham,
delete removes without a bounce and can train spam), allow and block lists
per domain and per user (an allow entry counts only when SPF or DKIM
confirms the sender), the score table, per-sender reputation, and Bayes
per user."""
import base64
import imaplib
import smtplib
import time

import pytest

from conftest import PASSWORD
from mailpeers import Dnsmasq, mailbox_messages, wait_for_mail
from mailroom_harness import Engine, free_port


@pytest.fixture
def world(tmp_path):
    dns = Dnsmasq(
        hosts=[("mail.good.test", "127.0.0.1")],
        txt=[("good.test", "v=spf1 ip4:127.0.0.1 -all"),
             ("bad.test", "v=spf1 ip4:192.0.2.1 -all"),
             ("_dmarc.bad.test", "v=DMARC1; p=reject")],
        extra=["--ptr-record=1.0.0.127.in-addr.arpa,mail.good.test"])
    ports = {s: 0 for s in ("imaps", "pop3", "pop3s", "smtps")}
    ports.update(smtp=free_port(), submission=free_port(), imap=free_port())
    # SPF fail with DMARC p=reject scores above 2: quarantined at 2, as an
    # admin who wants to look at such mail first would set it.
    e = Engine(tmp_path / "data", ports=ports, extra=[
        "--set", f"dns.nameserver={dns.address}", "--set", "server.hostname=mx.example.com",
        "--set", "spam.junk_score=1", "--set", "auth.allow_plaintext=true"])
    try:
        e.start()
        c = e.client()
        # As an admin sets it in the console (a --set would pin it).
        c.call("settings.set", {"name": "spam.quarantine_score", "value": "2"})
        c.call("domains.add", {"name": "example.com"})
        for user in ("ann", "bob"):
            c.call("users.add", {"address": f"{user}@example.com", "password": PASSWORD})
        c.close()
        yield e
        e.stop()
    finally:
        dns.stop()


def message(sender, subject, to="ann@example.com"):
    return (f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\n"
            f"Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <{abs(hash(subject))}@{sender.split('@')[1]}>\r\n"
            f"\r\nHello Ann, the quarterly figures are attached as promised ({subject}).\r\n").encode()


def send(engine, sender, subject, rcpts=("ann@example.com",)):
    with smtplib.SMTP("127.0.0.1", engine.ports["smtp"], local_hostname="mail.good.test", timeout=60) as s:
        return s.sendmail(sender, list(rcpts), message(sender, subject, ", ".join(rcpts)))


def quarantine(c, **params):
    return c.call("spam.quarantine.list", params)


def wait_quarantined(c, count, timeout=20):
    deadline = time.time() + timeout
    while True:
        q = quarantine(c)
        if q["total"] >= count:
            return q["items"]
        assert time.time() < deadline, f"quarantine has {q['total']} messages, expected {count}"
        time.sleep(0.1)


def test_quarantine_release_delivers_and_learns_ham(world):
    c = world.client()
    assert send(world, "eve@bad.test", "invoice one") == {}
    items = wait_quarantined(c, 1)
    m = items[0]
    assert m["recipients"] == ["ann@example.com"] and m["sender"] == "eve@bad.test"
    assert m["subject"] == "invoice one" and m["score"] >= 2
    assert "SPF_FAIL" in m["tags"] and "DMARC_REJECT" in m["tags"]
    assert m["expires"] > m["received"]
    # Nobody sees it meanwhile: not in Inbox, not in Junk.
    time.sleep(0.5)
    assert mailbox_messages(world.data, "ann@example.com") == []
    assert mailbox_messages(world.data, "ann@example.com", "Junk") == []
    shown = c.call("spam.quarantine.get", {"queueId": m["queueId"]})
    assert "quarterly figures" in shown["text"]
    assert {"name": "SPF_FAIL", "score": 1.0} in shown["tags"]
    assert any(h[0].lower() == "x-spam-status" for h in shown["headers"])
    out = world.ctl("spam", "quarantine", "list")
    assert out.returncode == 0 and m["queueId"] in out.stdout and "invoice one" in out.stdout

    r = c.call("spam.quarantine.release", {"queueIds": [m["queueId"]], "train": True})
    assert r == {"released": 1, "trained": 1, "missing": []}
    inbox = wait_for_mail(world.data, "ann@example.com", 1)
    assert b"invoice one" in open(inbox[0][2], "rb").read()
    assert quarantine(c)["total"] == 0
    assert c.call("spam.status")["ham"] == 1
    # Released once; a second release says it is not there.
    r = c.call("spam.quarantine.release", {"queueIds": [m["queueId"]]})
    assert r["released"] == 0 and r["missing"] == [m["queueId"]]


def test_quarantine_delete_learns_spam_and_sends_no_bounce(world):
    c = world.client()
    assert send(world, "eve@bad.test", "invoice two") == {}
    qid = wait_quarantined(c, 1)[0]["queueId"]
    out = world.ctl("spam", "quarantine", "delete", qid, "--train")
    assert out.returncode == 0, out.stderr
    assert "deleted 1" in out.stdout and "learned 1 as spam" in out.stdout
    assert c.call("spam.status")["spam"] == 1
    assert quarantine(c)["total"] == 0
    # No bounce or notice goes anywhere: the queue is empty.
    assert c.call("queue.list", {})["total"] == 0
    assert c.error("spam.quarantine.get", {"queueId": qid})["code"] == "not_found"


def test_block_lists_refuse_or_quarantine_per_recipient(world):
    c = world.client()
    # A global block on the sender's domain refuses the message at SMTP time.
    entry = c.call("spam.lists.add", {"scope": "global", "kind": "block", "pattern": "good.test"})
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(world, "carl@good.test", "hello")
    assert refused.value.smtp_code == 554
    c.call("spam.lists.remove", {"ids": [entry["id"]]})
    # Ann blocks him alone: her copy waits in quarantine, Bob gets his.
    c.call("spam.lists.add", {"scope": "user:ann@example.com", "kind": "block", "pattern": "carl@good.test",
                              "note": "asked by Ann"})
    assert send(world, "carl@good.test", "for both", ("ann@example.com", "bob@example.com")) == {}
    wait_for_mail(world.data, "bob@example.com", 1)
    items = wait_quarantined(c, 1)
    assert items[0]["recipients"] == ["ann@example.com"]
    assert mailbox_messages(world.data, "ann@example.com") == []
    listed = c.call("spam.lists.list", {"scope": "user:ann@example.com"})
    assert listed["total"] == 1 and listed["items"][0]["hits"] == 1
    assert listed["items"][0]["note"] == "asked by Ann" and listed["items"][0]["lastHit"]


def test_allow_lists_need_spf_or_dkim(world):
    c = world.client()
    # good.test passes SPF: its allow entry beats a score that would
    # otherwise quarantine it.
    c.call("spam.scores.set", {"scores": ["SPF_PASS=5"]})
    c.call("spam.lists.add", {"scope": "domain:example.com", "kind": "allow", "pattern": "good.test"})
    assert send(world, "carl@good.test", "allowed") == {}
    got = open(wait_for_mail(world.data, "ann@example.com", 1)[0][2], "rb").read()
    assert b"LIST_ALLOW" in got
    # bad.test fails SPF: an allow entry for it does not count.
    c.call("spam.lists.add", {"scope": "global", "kind": "allow", "pattern": "eve@bad.test"})
    assert send(world, "eve@bad.test", "not allowed") == {}
    items = wait_quarantined(c, 1)
    assert "LIST_ALLOW_UNVERIFIED" in items[0]["tags"]
    # A network needs no proof: the connection is it.
    c.call("spam.lists.add", {"scope": "global", "kind": "allow", "pattern": "127.0.0.0/8"})
    assert send(world, "eve@bad.test", "from our network") == {}
    wait_for_mail(world.data, "ann@example.com", 2)


def test_lists_refuse_bad_input(world):
    c = world.client()
    for pattern in ("not a domain", "user@", "@", "a..b", "x" * 400):
        err = c.error("spam.lists.add", {"scope": "global", "kind": "block", "pattern": pattern})
        assert err["code"] == "invalid_argument", pattern
    assert c.error("spam.lists.add", {"scope": "domain:nowhere.test", "kind": "block",
                                      "pattern": "a.test"})["code"] == "not_found"
    assert c.error("spam.lists.add", {"scope": "user:nobody@example.com", "kind": "block",
                                      "pattern": "a.test"})["code"] == "not_found"
    assert c.error("spam.lists.add", {"scope": "everyone", "kind": "block",
                                      "pattern": "a.test"})["code"] == "invalid_argument"
    assert c.error("spam.lists.add", {"scope": "global", "kind": "maybe",
                                      "pattern": "a.test"})["code"] == "invalid_argument"
    c.call("spam.lists.add", {"scope": "global", "kind": "block", "pattern": "*.Spam.TEST"})
    assert c.error("spam.lists.add", {"scope": "global", "kind": "block",
                                      "pattern": "spam.test"})["code"] == "already_exists"
    assert [e["pattern"] for e in c.call("spam.lists.list", {})["items"]] == ["spam.test"]
    out = world.ctl("spam", "block", "2001:DB8::/32", "--note", "documentation net")
    assert out.returncode == 0, out.stderr
    out = world.ctl("spam", "list", "--kind", "block")
    assert "2001:db8::/32" in out.stdout and "documentation net" in out.stdout


def test_score_table_changes_and_resets(world):
    c = world.client()
    table = {e["tag"]: e for e in c.call("spam.scores.list")["items"]}
    assert table["BAYES_99"]["score"] == 6.5 and table["BAYES_99"]["kind"] == "analyzer"
    assert table["SUBJ_ALL_CAPS"]["kind"] == "rule" and table["SUBJ_ALL_CAPS"]["description"]
    assert table["SPF_FAIL"]["description"]
    c.call("spam.scores.set", {"scores": ["SUBJ_ALL_CAPS=3.5", "MY_TAG=1"]})
    table = {e["tag"]: e for e in c.call("spam.scores.list")["items"]}
    assert table["SUBJ_ALL_CAPS"]["score"] == 3.5 and table["SUBJ_ALL_CAPS"]["fileScore"] == 0.5
    assert table["SUBJ_ALL_CAPS"]["overridden"]
    # The next message uses it.
    shout = b"From: x@y.test\r\nSubject: FREE MONEY NOW\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\nhi\r\n"
    scored = c.call("spam.score", {"messages": [base64.b64encode(shout).decode()]})["items"][0]
    assert {"name": "SUBJ_ALL_CAPS", "score": 3.5} in [{k: d[k] for k in ("name", "score")} for d in scored["details"]]
    out = world.ctl("spam", "scores", "reset", "SUBJ_ALL_CAPS")
    assert out.returncode == 0, out.stderr
    table = {e["tag"]: e for e in c.call("spam.scores.list")["items"]}
    assert table["SUBJ_ALL_CAPS"]["score"] == 0.5 and not table["SUBJ_ALL_CAPS"]["overridden"]
    for bad in ("BAYES_99", "BAYES_99=x", "bayes 99=1", "BAYES_99=101", "=1"):
        assert c.error("spam.scores.set", {"scores": [bad]})["code"] == "invalid_argument", bad


def test_sender_reputation_follows_past_scores(world):
    c = world.client()
    c.call("settings.set", {"name": "spam.quarantine_score", "value": "0"})
    for i in range(4):
        assert send(world, "eve@bad.test", f"offer {i}") == {}
    junk = wait_for_mail(world.data, "ann@example.com", 4, mailbox="Junk")
    tags = [open(p, "rb").read().split(b"X-Spam-Tags:")[1].split(b"\r\n\t")[0] for _, _, p in junk]
    # The first three build the history; from the fourth on it counts.
    assert sum(b"REP_BAD" in t for t in tags) == 1


def b64(text):
    return base64.b64encode(text.encode()).decode()


def test_users_own_bayes_scores_mail_for_that_user(world):
    c = world.client()
    c.call("settings.set", {"name": "spam.quarantine_score", "value": "0"})
    c.call("settings.set", {"name": "spam.bayes_per_user", "value": "true"})
    spam = [b64(f"Subject: zorblax deal {i}\r\n\r\nzorblax crystals cheap, zorblax offer {i} today\r\n")
            for i in range(10)]
    ham = [b64(f"Subject: minutes {i}\r\n\r\nthe board meeting minutes {i} and the quarterly figures\r\n")
           for i in range(10)]
    assert c.call("spam.train", {"class": "spam", "messages": spam, "forUser": "ann@example.com"})["learned"] == 10
    out = world.ctl("spam", "train", "--ham", "--user", "ann@example.com", "-", input="Subject: hi\r\n\r\nlunch?\r\n")
    assert out.returncode == 0, out.stderr
    assert c.call("spam.train", {"class": "ham", "messages": ham, "forUser": "ann@example.com"})["learned"] == 10
    own = c.call("spam.status", {"user": "ann@example.com"})
    assert (own["spam"], own["ham"], own["ready"]) == (10, 11, True)
    assert c.call("spam.status")["spam"] == 0  # the global filter learned nothing
    assert "trained spam: 10" in world.ctl("spam", "status", "--user", "ann@example.com").stdout
    # Ann's filter knows zorblax; Bob has none of his own and the global
    # one is not ready, so his copy is not judged by Bayes.
    with smtplib.SMTP("127.0.0.1", world.ports["smtp"], local_hostname="mail.good.test", timeout=60) as s:
        body = ("Subject: zorblax now\r\nFrom: carl@good.test\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n"
                "Message-ID: <z1@good.test>\r\n\r\nzorblax crystals cheap, zorblax offer\r\n")
        s.sendmail("carl@good.test", ["ann@example.com"], body)
        s.sendmail("carl@good.test", ["bob@example.com"], body)
    junk = wait_for_mail(world.data, "ann@example.com", 1, mailbox="Junk")
    assert len(junk) == 1 and b"BAYES_9" in open(junk[0][2], "rb").read()
    bob = wait_for_mail(world.data, "bob@example.com", 1)
    assert len(bob) == 1 and b"BAYES_" not in open(bob[0][2], "rb").read()
    # Bob's moves into Junk teach his own filter.
    m = imaplib.IMAP4("127.0.0.1", world.ports["imap"], timeout=30)
    m.login("bob@example.com", PASSWORD)
    m.select("INBOX")
    assert m.uid("MOVE", "1", "Junk")[0] == "OK"
    m.logout()
    deadline = time.time() + 20
    while c.call("spam.status", {"user": "bob@example.com"})["spam"] != 1:
        assert time.time() < deadline, "Bob's own filter did not learn his move"
        time.sleep(0.1)
    assert c.error("spam.status", {"user": "nobody@example.com"})["code"] == "not_found"
