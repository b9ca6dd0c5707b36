"""The spam filter's admin side with real clients: mailroomctl trains message
files and scores them (one line per file), the admin protocol trains stored
messages and refuses bad input, and a real IMAP client moving a message into
Junk and back out trains it as spam, then as ham (DESIGN §6)."""
import base64
import imaplib
import re
import time

import pytest

from imappeer import PASSWORD, start_engine, wait_for


def spam_message(i):
    return (f"From: Deals <promo{i}@offers.example.biz>\r\nTo: ann@example.com\r\n"
            f"Subject: Cheap replica watches {i}\r\n\r\n"
            f"Buy replica watches now, limited offer {i}. Click http://deals.example.biz/o{i} "
            "to claim your casino bonus and discount.\r\n").encode()


def ham_message(i):
    return (f"From: Carol <carol@partner.example.org>\r\nTo: ann@example.com\r\n"
            f"Subject: Notes from the design review {i}\r\n\r\n"
            f"Hi Ann, here are the notes from review {i}. Let us discuss the release schedule "
            "on Thursday with the team.\r\n").encode()


@pytest.fixture
def spam_engine(tmp_path):
    # Junk from 3 points: the test mail has few tags besides Bayes.
    e = start_engine(tmp_path, extra=["--set", "spam.junk_score=3"])
    yield e
    e.stop()


def write(folder, name, data):
    path = folder / name
    path.write_bytes(data)
    return str(path)


def ok(result):
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_ctl_trains_files_and_scores_them_one_line_each(spam_engine, tmp_path):
    e = spam_engine
    files = tmp_path / "mail"
    files.mkdir()
    spams = [write(files, f"s{i}.eml", spam_message(i)) for i in range(12)]
    hams = [write(files, f"h{i}.eml", ham_message(i)) for i in range(12)]
    # Before any training the filter says so, and scores nothing as spam.
    assert "train at least 10 spam and 10 ham" in ok(e.ctl("spam", "status"))
    first = ok(e.ctl("spam", "score", spams[0])).splitlines()
    assert first[0].split("\t")[2] == "unsure"

    assert "12 new" in ok(e.ctl("spam", "train", "--spam", *spams))
    assert "12 new" in ok(e.ctl("spam", "train", "--ham", *hams))
    # The same files again are known; nothing is counted twice.
    assert "12 known already" in ok(e.ctl("spam", "train", "--ham", *hams))
    status = e.client().call("spam.status")
    assert (status["spam"], status["ham"], status["ready"]) == (12, 12, True)

    new_spam = write(files, "new-spam.eml", spam_message(99))
    new_ham = write(files, "new-ham.eml", ham_message(99))
    lines = ok(e.ctl("spam", "score", new_spam, new_ham)).splitlines()
    assert len(lines) == 2
    rows = [line.split("\t") for line in lines]
    assert [r[0] for r in rows] == [new_spam, new_ham]
    bayes = [float(r[4].removeprefix("bayes=")) for r in rows]
    assert bayes[0] > 0.9 and bayes[1] < 0.1
    assert rows[0][2] == "spam" and float(rows[0][1]) >= 3 and "BAYES_" in rows[0][3]
    assert rows[1][2] == "ham" and float(rows[1][1]) < 3
    # A message on stdin, as a mail client's filter would pass it.
    piped = e.ctl("spam", "score", "-", input=spam_message(7).decode())
    assert ok(piped).split("\t")[2] == "spam"
    # Training counts reach the log, for the console's Logs page.
    assert wait_for(lambda: any("learned 12 messages as spam" in r["text"]
                                for r in e.client().call("logs.query", {"module": "spam", "limit": 50})["items"]))


def test_many_files_in_one_call(spam_engine, tmp_path):
    """Thousands of files: one ctl run, split into parts under the frame limit."""
    e = spam_engine
    files = tmp_path / "many"
    files.mkdir()
    paths = [write(files, f"m{i}.eml", (spam_message if i % 2 else ham_message)(i)) for i in range(2500)]
    out = ok(e.ctl("spam", "score", *paths)).splitlines()
    assert len(out) == 2500 and [line.split("\t")[0] for line in out] == paths


def test_admin_protocol_refuses_bad_training_input(spam_engine):
    c = spam_engine.client()
    assert c.error("spam.train", {"class": "eggs", "messages": []})["code"] == "invalid_argument"
    assert c.error("spam.train", {"class": "spam"})["code"] == "invalid_argument"
    err = c.error("spam.train", {"class": "spam", "messages": ["not base64 at all!"]})
    assert err["code"] == "invalid_argument" and "base64" in err["message"]
    err = c.error("spam.train", {"class": "ham", "user": "nobody@example.com", "mailbox": "INBOX", "uids": ["1"]})
    assert err["code"] == "not_found"
    assert c.call("spam.status")["spam"] == 0


def junk_counts(engine):
    s = engine.client().call("spam.status")
    return s["spam"], s["ham"]


def test_imap_moves_into_and_out_of_junk_train_the_filter(spam_engine):
    e = spam_engine
    m = imaplib.IMAP4("127.0.0.1", e.ports["imap"], timeout=30)
    m.login("ann@example.com", PASSWORD)
    for i, msg in enumerate((spam_message(1), ham_message(1))):
        typ, data = m.append("INBOX", None, None, msg)
        assert typ == "OK", data
    m.select("INBOX")
    # Into Junk: learned as spam.
    assert m.uid("MOVE", "1", "Junk")[0] == "OK"
    assert wait_for(lambda: junk_counts(e) == (1, 0))
    # Back out of Junk (not to Trash): the same message moves over to ham.
    m.select("Junk")
    assert m.uid("MOVE", "1:*", "INBOX")[0] == "OK"
    assert wait_for(lambda: junk_counts(e) == (0, 1))
    # Junk to Trash teaches nothing.
    m.select("INBOX")
    assert m.uid("MOVE", "2", "Junk")[0] == "OK"
    assert wait_for(lambda: junk_counts(e) == (1, 1))
    m.select("Junk")
    assert m.uid("MOVE", "1:*", "Trash")[0] == "OK"
    time.sleep(0.5)
    assert junk_counts(e) == (1, 1)
    m.logout()


def test_admin_trains_stored_messages_by_uid(spam_engine):
    """What a drag from the console's message list onto "Spam" sends."""
    e = spam_engine
    m = imaplib.IMAP4("127.0.0.1", e.ports["imap"], timeout=30)
    m.login("ann@example.com", PASSWORD)
    uids = []
    for i in range(3):
        typ, data = m.append("INBOX", None, None, spam_message(i))
        uids.append(re.search(rb"APPENDUID \d+ (\d+)", data[0]).group(1).decode())
    m.logout()
    c = e.client()
    r = c.call("spam.train", {"class": "spam", "user": "ann@example.com", "mailbox": "INBOX", "uids": uids})
    assert r == {"learned": 3, "moved": 0, "unchanged": 0}
    # Uploaded and stored in one request; the stored ones are known now.
    r = c.call("spam.train", {"class": "spam", "user": "ann@example.com", "mailbox": "INBOX", "uids": uids[:1],
                              "messages": [base64.b64encode(spam_message(50)).decode()]})
    assert r == {"learned": 1, "moved": 0, "unchanged": 1}
    err = c.error("spam.train", {"class": "spam", "user": "ann@example.com", "mailbox": "INBOX", "uids": ["999"]})
    assert err["code"] == "not_found" and "reload" in err["message"].lower()
