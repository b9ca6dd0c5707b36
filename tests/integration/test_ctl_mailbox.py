"""A user's mail through mailroomctl and the admin protocol (mailboxes.list,
messages.list, messages.get): messages arrive over SMTP from smtplib; the
mailbox counts, quota, newest-first paging, decoded headers (RFC 2047),
HTML turned into text, attachments, the 256 KiB text bound, that reading does
not mark a message seen, a disabled user's mail, and clear errors for an
unknown user, mailbox or UID."""
import json
import smtplib
import time

import pytest

PLAIN = (b"From: Carol <carol@outside.test>\r\nTo: ann@example.com\r\nSubject: First note\r\n"
         b"Date: Mon, 02 Feb 2026 10:00:00 +0000\r\nMessage-ID: <first@outside.test>\r\n\r\n"
         b"Plain words for Ann.\r\n")
HTML = (b"From: =?UTF-8?Q?J=C3=BCrgen?= <juergen@outside.test>\r\nTo: ann@example.com\r\n"
        b"Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><head><style>p {color: red}</style></head>"
        b"<body><p>Hello <b>Ann</b> &amp; team</p><p>Second paragraph</p></body></html>\r\n")
MIXED = (b"From: dave@outside.test\r\nTo: ann@example.com\r\nSubject: Report attached\r\n"
         b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n"
         b"--XX\r\nContent-Type: text/plain\r\n\r\nThe report is attached.\r\n"
         b"--XX\r\nContent-Type: application/pdf; name=report.pdf\r\n"
         b"Content-Disposition: attachment; filename*=UTF-8''R%C3%A9sum%C3%A9.pdf\r\n"
         b"Content-Transfer-Encoding: base64\r\n\r\n"
         b"JVBERi0xLjQKJcOkw7zDtsOfCg==\r\n--XX--\r\n")


def ok(result):
    assert result.returncode == 0, result.stderr
    return result.stdout


def deliver(engine, message, to="ann@example.com"):
    with smtplib.SMTP("127.0.0.1", engine.ports["smtp"], timeout=30) as s:
        assert s.sendmail("carol@outside.test", [to], message) == {}


def mailbox(client, user, name):
    for m in client.call("mailboxes.list", {"user": user})["items"]:
        if m["name"] == name:
            return m
    return None


def wait_for_messages(client, user, count, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if mailbox(client, user, "INBOX")["messages"] == count:
            return
        time.sleep(0.1)
    raise AssertionError(f"INBOX of {user} did not reach {count} messages")


@pytest.fixture
def filled(mail_engine):
    """mail_engine with the three messages in ann's INBOX, oldest first."""
    for m in (PLAIN, HTML, MIXED):
        deliver(mail_engine, m)
    c = mail_engine.client()
    wait_for_messages(c, "ann@example.com", 3)
    yield mail_engine, c
    c.close()


def test_mailbox_list_counts_and_quota(filled):
    engine, c = filled
    c.call("users.quota", {"address": "ann@example.com", "quotaMb": 10})
    r = c.call("mailboxes.list", {"user": "ann@example.com"})
    assert r["user"] == "ann@example.com"
    names = [m["name"] for m in r["items"]]
    assert names[0] == "INBOX" and len(names) == 6
    inbox = r["items"][0]
    assert inbox["messages"] == 3 and inbox["unseen"] == 3 and inbox["bytes"] > len(PLAIN + HTML + MIXED)
    assert {m["specialUse"] for m in r["items"]} >= {"\\Sent", "\\Junk", "\\Trash", "\\Drafts"}
    assert r["quota"]["limitBytes"] == 10 * 1024 * 1024
    assert r["quota"]["usedBytes"] == sum(m["bytes"] for m in r["items"])

    out = ok(engine.ctl("mailbox", "list", "ann@example.com"))
    lines = out.splitlines()
    assert lines[0].split() == ["MAILBOX", "MESSAGES", "UNREAD", "SIZE", "SPECIAL"]
    assert lines[1].split()[:3] == ["INBOX", "3", "3"]
    assert "Quota:" in out and "of 10.0M used" in out
    as_json = json.loads(ok(engine.ctl("--json", "mailbox", "list", "ann@example.com")))
    assert as_json["items"][0]["messages"] == 3 and as_json["quota"]["limitBytes"] == 10 * 1024 * 1024

    c.call("users.quota", {"address": "ann@example.com", "quotaMb": 0})
    assert "no limit" in ok(engine.ctl("mailbox", "list", "ann@example.com"))


def test_message_list_is_newest_first_and_pages(filled):
    engine, c = filled
    r = c.call("messages.list", {"user": "ann@example.com", "mailbox": "INBOX"})
    assert r["total"] == 3
    subjects = [m["subject"] for m in r["items"]]
    assert subjects == ["Report attached", "Grüße aus Köln", "First note"]
    uids = [m["uid"] for m in r["items"]]
    assert uids == sorted(uids, reverse=True)
    first = r["items"][2]
    assert first["from"] == "Carol <carol@outside.test>" and first["to"] == "ann@example.com"
    assert first["sent"] == "Mon, 02 Feb 2026 10:00:00 +0000" and first["date"].endswith("Z")
    assert first["flags"] == [] and first["size"] > len(PLAIN)
    assert r["items"][1]["from"].startswith("Jürgen")

    page = c.call("messages.list", {"user": "ann@example.com", "mailbox": "inbox", "offset": 1, "limit": 1})
    assert page["total"] == 3 and [m["uid"] for m in page["items"]] == [uids[1]]

    out = ok(engine.ctl("message", "list", "ann@example.com", "INBOX"))
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["UID", "DATE", "FROM", "SIZE"]
    assert "Report attached" in lines[1] and "First note" in lines[3]
    rows = json.loads(ok(engine.ctl("--json", "message", "list", "ann@example.com", "INBOX",
                                    "--offset", "2", "--limit", "5")))
    assert [m["subject"] for m in rows] == ["First note"]
    assert "No messages." in ok(engine.ctl("message", "list", "ann@example.com", "Trash"))


def test_message_show_decodes_headers_text_and_attachments(filled):
    engine, c = filled
    uids = {m["subject"]: m["uid"] for m in
            c.call("messages.list", {"user": "ann@example.com", "mailbox": "INBOX"})["items"]}

    m = c.call("messages.get", {"user": "ann@example.com", "mailbox": "INBOX", "uid": uids["Grüße aus Köln"]})
    headers = dict((k.lower(), v) for k, v in m["headers"])
    assert headers["subject"] == "Grüße aus Köln" and m["subject"] == "Grüße aus Köln"
    assert headers["from"] == "Jürgen <juergen@outside.test>"
    assert "Hello Ann & team" in m["text"] and "Second paragraph" in m["text"]
    assert "<" not in m["text"] and "color: red" not in m["text"]
    assert m["attachments"] == [] and m["textTruncated"] is False

    m = c.call("messages.get", {"user": "ann@example.com", "mailbox": "INBOX", "uid": uids["Report attached"]})
    assert "The report is attached." in m["text"]
    assert m["attachments"] == [{"name": "Résumé.pdf", "type": "application/pdf", "size": 19}]

    out = ok(engine.ctl("message", "show", "ann@example.com", "INBOX", str(uids["First note"])))
    assert "From: Carol <carol@outside.test>" in out and "Subject: First note" in out
    assert "Message-ID: <first@outside.test>" in out and "Plain words for Ann." in out
    assert "Received:" not in out  # trace headers only with --all-headers
    assert "Received:" in ok(engine.ctl("message", "show", "--all-headers", "ann@example.com", "INBOX",
                                         str(uids["First note"])))
    out = ok(engine.ctl("message", "show", "ann@example.com", "INBOX", str(uids["Report attached"])))
    assert "Attachments:" in out and "Résumé.pdf  (application/pdf, 19)" in out
    shown = json.loads(ok(engine.ctl("--json", "message", "show", "ann@example.com", "INBOX",
                                     str(uids["Grüße aus Köln"]))))
    assert shown["subject"] == "Grüße aus Köln"

    # Reading is not a client reading: nothing is marked seen.
    assert mailbox(c, "ann@example.com", "INBOX")["unseen"] == 3
    rows = c.call("messages.list", {"user": "ann@example.com", "mailbox": "INBOX"})["items"]
    assert all("\\Seen" not in r["flags"] for r in rows)


def test_long_text_is_bounded(mail_engine):
    body = ("0123456789abcdef" * 63 + "\r\n").encode() * 300  # about 300 KiB of text
    deliver(mail_engine, b"From: carol@outside.test\r\nTo: bob@example.com\r\nSubject: long\r\n\r\n" + body,
            to="bob@example.com")
    c = mail_engine.client()
    wait_for_messages(c, "bob@example.com", 1)
    uid = c.call("messages.list", {"user": "bob@example.com", "mailbox": "INBOX"})["items"][0]["uid"]
    m = c.call("messages.get", {"user": "bob@example.com", "mailbox": "INBOX", "uid": uid})
    # 256 KiB of the text, with its CRLF line ends made LF
    assert m["textTruncated"] is True and 250 * 1024 < len(m["text"]) <= 256 * 1024
    assert "\r" not in m["text"] and m["text"].startswith("0123456789abcdef")
    assert m["size"] > len(body)
    out = ok(mail_engine.ctl("message", "show", "bob@example.com", "INBOX", str(uid)))
    assert "only the first 256 KiB" in out
    c.close()


def test_disabled_users_mail_can_still_be_read(mail_engine):
    deliver(mail_engine, PLAIN.replace(b"To: ann@", b"To: bob@"), to="bob@example.com")
    c = mail_engine.client()
    wait_for_messages(c, "bob@example.com", 1)
    c.call("users.update", {"address": "bob@example.com", "enabled": False})
    assert mailbox(c, "bob@example.com", "INBOX")["messages"] == 1
    assert "First note" in ok(mail_engine.ctl("message", "list", "bob@example.com", "INBOX"))
    c.close()


def test_errors_say_what_is_wrong(filled):
    engine, c = filled
    e = c.error("mailboxes.list", {"user": "nobody@example.com"})
    assert e["code"] == "not_found" and "There is no user nobody@example.com" in e["message"]
    assert "mailroomctl user list" in e["message"]
    e = c.error("messages.list", {"user": "nobody@example.com", "mailbox": "INBOX"})
    assert e["code"] == "not_found" and "nobody@example.com" in e["message"]
    e = c.error("messages.list", {"user": "ann@example.com", "mailbox": "Nope"})
    assert e["code"] == "not_found" and '"Nope"' in e["message"] and "mailroomctl mailbox list" in e["message"]
    e = c.error("messages.get", {"user": "ann@example.com", "mailbox": "INBOX", "uid": 99999})
    assert e["code"] == "not_found" and "UID 99999" in e["message"]
    e = c.error("messages.get", {"user": "ann@example.com", "mailbox": "INBOX"})
    assert e["code"] == "invalid_argument" and "uid" in e["message"]
    e = c.error("messages.get", {"user": "ann@example.com", "mailbox": "INBOX", "uid": "1"})
    assert e["code"] == "invalid_argument"
    e = c.error("messages.list", {"user": "ann@example.com", "mailbox": "INBOX", "limit": 0})
    assert e["code"] == "invalid_argument" and "limit" in e["message"]
    e = c.error("messages.list", {"user": "ann@example.com", "mailbox": "INBOX", "offset": -1})
    assert e["code"] == "invalid_argument"
    e = c.error("mailboxes.list", {"user": "not an address"})
    assert e["code"] == "invalid_argument"

    r = engine.ctl("mailbox", "list", "nobody@example.com")
    assert r.returncode == 1 and "There is no user nobody@example.com" in r.stderr
    r = engine.ctl("message", "list", "ann@example.com", "Nope")
    assert r.returncode == 1 and "has no mailbox" in r.stderr
    r = engine.ctl("message", "show", "ann@example.com", "INBOX", "99999")
    assert r.returncode == 1 and "UID 99999" in r.stderr
    r = engine.ctl("message", "show", "ann@example.com", "INBOX", "first")
    assert r.returncode == 2 and "UID must be a whole number" in r.stderr
    r = engine.ctl("message", "list", "ann@example.com", "INBOX", "--limit", "0")
    assert r.returncode == 2 and "--limit" in r.stderr
    r = engine.ctl("mailbox", "list")
    assert r.returncode == 2 and "missing user" in r.stderr
