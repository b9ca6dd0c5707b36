"""IMAP (server/imap) driven by Python's imaplib and a raw client: login
and TLS, every command of RFC 9051/3501, the advertised extensions, and two
sessions on one mailbox seeing each other's changes."""
import imaplib
import re
import socket
import threading
import time

import pytest

from imappeer import PASSWORD, Raw, deliver, insecure_context, start_engine, wait_for


@pytest.fixture
def imap_engine(tmp_path):
    e = start_engine(tmp_path)
    yield e
    e.stop()


@pytest.fixture
def tls_only_engine(tmp_path):
    e = start_engine(tmp_path, plaintext=False)
    yield e
    e.stop()


def connect(engine, user="ann@example.com"):
    m = imaplib.IMAP4("127.0.0.1", engine.ports["imap"], timeout=30)
    m.login(user, PASSWORD)
    return m


def append(m, box, subject, flags="", body="Some text.\r\n", extra=""):
    msg = (f"From: Dan <dan@remote.test>\r\nTo: ann@example.com\r\nSubject: {subject}\r\n"
           f"Message-ID: <{abs(hash(subject))}@remote.test>\r\n{extra}\r\n{body}").encode()
    typ, data = m.append(box, flags or None, None, msg)
    assert typ == "OK", data
    return int(re.search(rb"APPENDUID \d+ (\d+)", data[0]).group(1))


# --- connection, TLS and login --------------------------------------------

def test_loginsdisabled_without_tls(tls_only_engine):
    r = Raw(tls_only_engine.ports["imap"])
    assert b"STARTTLS" in r.greeting and b"LOGINDISABLED" in r.greeting
    untagged, tagged = r.cmd(f'LOGIN ann@example.com "{PASSWORD}"')
    assert tagged.startswith("NO [PRIVACYREQUIRED]")
    untagged, tagged = r.cmd("AUTHENTICATE PLAIN")
    assert tagged.startswith("NO")


def test_starttls_then_login(tls_only_engine):
    m = imaplib.IMAP4("127.0.0.1", tls_only_engine.ports["imap"], timeout=30)
    m.starttls(ssl_context=insecure_context())
    assert "LOGINDISABLED" not in m.capabilities
    assert m.login("ann@example.com", PASSWORD)[0] == "OK"
    assert m.select("INBOX")[0] == "OK"
    m.logout()


def test_implicit_tls_and_authenticate_plain(tls_only_engine):
    m = imaplib.IMAP4_SSL("127.0.0.1", tls_only_engine.ports["imaps"], ssl_context=insecure_context(), timeout=30)
    typ, _ = m.authenticate("PLAIN", lambda _: f"\0ann@example.com\0{PASSWORD}".encode())
    assert typ == "OK"
    assert "IDLE" in m.capabilities or m.capability()[0] == "OK"
    m.logout()


def test_sasl_ir_and_wrong_password_throttle(tmp_path):
    e = start_engine(tmp_path, extra=["--set", "auth.max_failures_per_ip=3"])
    try:
        import base64
        r = Raw(e.ports["imap"])
        ir = base64.b64encode(f"\0ann@example.com\0{PASSWORD}".encode()).decode()
        _, tagged = r.cmd(f"AUTHENTICATE PLAIN {ir}")
        assert tagged.startswith("OK [CAPABILITY")
        r.close()
        r = Raw(e.ports["imap"])
        answers = []
        try:
            for _ in range(5):
                _, tagged = r.cmd('LOGIN ann@example.com "wrong password"')
                answers.append(tagged)
        except (EOFError, OSError):
            pass  # refused and disconnected
        assert answers[0].startswith("NO [AUTHENTICATIONFAILED]")
        assert len(answers) <= 4  # refused and disconnected once the limit is reached
        r2 = Raw(e.ports["imap"])
        _, tagged = r2.cmd(f'LOGIN ann@example.com "{PASSWORD}"')
        assert tagged.startswith("NO [UNAVAILABLE]")  # even the right password, from this address
    finally:
        e.stop()


def test_commands_need_the_right_state(imap_engine):
    r = Raw(imap_engine.ports["imap"])
    assert r.cmd("SELECT INBOX")[1].startswith("BAD")
    assert r.cmd("FROB")[1].startswith("BAD")
    r.login()
    assert r.cmd("FETCH 1 FLAGS")[1].startswith("BAD")
    assert r.cmd(f'LOGIN ann@example.com "{PASSWORD}"')[1].startswith("BAD")
    untagged, tagged = r.cmd('ID ("name" "pytest")')
    assert untagged == ['* ID ("name" "Mailroom")'] and tagged.startswith("OK")
    untagged, tagged = r.cmd("NAMESPACE")
    assert untagged == ['* NAMESPACE (("" "/")) NIL NIL']
    untagged, tagged = r.cmd("ENABLE CONDSTORE X-UNKNOWN")
    assert untagged == ["* ENABLED CONDSTORE"]
    untagged, tagged = r.cmd("LOGOUT")
    assert untagged == ["* BYE Logging out"] and tagged.startswith("OK")


# --- mailboxes -------------------------------------------------------------

def test_list_special_use_children_status(imap_engine):
    r = Raw(imap_engine.ports["imap"]).login()
    untagged, _ = r.cmd('LIST "" "*"')
    assert '* LIST (\\HasNoChildren) "/" INBOX' in untagged
    assert any("\\Junk" in u and u.endswith(" Junk") for u in untagged)
    assert any("\\Sent" in u for u in untagged)
    assert r.cmd('CREATE "Clients/Acme" (USE (\\Flagged))')[1].startswith("NO [USEATTR]")
    assert r.cmd("CREATE Clients/Acme")[1].startswith("OK")
    assert r.cmd("CREATE Clients/Acme")[1].startswith("NO [ALREADYEXISTS]")
    assert r.cmd("CREATE Receipts (USE (\\Archive))")[1].startswith("OK")
    untagged, _ = r.cmd('LIST "" "%"')
    assert '* LIST (\\HasChildren) "/" Clients' in untagged
    assert not any("Clients/Acme" in u for u in untagged)
    untagged, _ = r.cmd('LIST (SPECIAL-USE) "" "*" RETURN (STATUS (MESSAGES UNSEEN))')
    names = [u for u in untagged if u.startswith("* LIST")]
    assert all("\\" in n for n in names) and any("Receipts" in n for n in names)
    assert any(u.startswith("* STATUS Junk (MESSAGES 0 UNSEEN 0)") for u in untagged)
    untagged, _ = r.cmd('LIST "" ""')
    assert untagged == ['* LIST (\\Noselect) "/" ""']


def test_create_rename_delete_subscribe(imap_engine):
    m = connect(imap_engine)
    assert m.create("Projects/2026")[0] == "OK"
    append(m, "Projects/2026", "plan")
    assert m.rename("Projects", "Work")[0] == "OK"
    typ, data = m.list('""', "Work*")
    assert [d.split(b'"/" ')[1] for d in data] == [b"Work", b"Work/2026"]
    assert m.status("Work/2026", "(MESSAGES)")[1] == [b"Work/2026 (MESSAGES 1)"]
    assert m.subscribe("Work/2026")[0] == "OK"
    typ, data = m.lsub('""', "Work*")
    assert data == [b'() "/" Work/2026']
    assert m.delete("Work/2026")[0] == "OK"
    typ, data = m.lsub('""', "Work*")
    assert data == [b'(\\Noselect) "/" Work/2026']  # a subscription outlives its mailbox
    assert m.delete("INBOX")[0] == "NO"
    assert m.select("Work/2026")[0] == "NO"
    m.logout()


def test_utf8_mailbox_names(imap_engine):
    r = Raw(imap_engine.ports["imap"]).login()
    assert r.cmd("CREATE Entw&APw-rfe")[1].startswith("OK")
    untagged, _ = r.cmd('LIST "" "Entw*"')
    assert untagged == ['* LIST (\\HasNoChildren) "/" Entw&APw-rfe']
    r.cmd("ENABLE UTF8=ACCEPT")
    untagged, _ = r.cmd('LIST "" "Entw*"')
    assert untagged == ['* LIST (\\HasNoChildren) "/" "Entwürfe"'] or untagged == ['* LIST (\\HasNoChildren) "/" Entwürfe']


# --- messages --------------------------------------------------------------

def test_select_fetch_store_search(imap_engine):
    deliver(imap_engine, "ann@example.com", "Quarterly report", body="Numbers attached.\r\n")
    m = connect(imap_engine)
    assert wait_for(lambda: m.select("INBOX")[1] == [b"1"])
    uid2 = append(m, "INBOX", "Lunch on Friday", flags="(\\Seen $Important)")
    typ, data = m.select("INBOX")
    assert data == [b"2"]
    assert m.untagged_responses["UIDNEXT"] == [str(uid2 + 1).encode()]
    assert b"$Important" in m.untagged_responses["FLAGS"][0]
    typ, data = m.fetch("1:2", "(FLAGS RFC822.SIZE ENVELOPE)")
    assert b'"Quarterly report"' in data[0] and b"FLAGS ()" in data[0]
    assert b"\\Seen $Important" in data[1]
    # BODY.PEEK leaves \Seen alone; BODY[] sets it and reports FLAGS.
    typ, data = m.fetch("1", "(BODY.PEEK[TEXT])")
    assert data[0][1] == b"Numbers attached.\r\n"
    assert m.fetch("1", "(FLAGS)")[1] == [b"1 (FLAGS ())"]
    typ, data = m.fetch("1", "(BODY.PEEK[HEADER.FIELDS (subject)]<0.9>)")
    assert data[0][1] == b"Subject: "
    typ, data = m.fetch("1", "(BODY[])")
    assert b"Numbers attached." in data[0][1] and b"\\Seen" in data[0][0] + data[1]
    assert b"Return-Path: <carol@remote.test>" in data[0][1]
    # STORE and SEARCH
    assert m.store("1", "+FLAGS", "(\\Flagged NonJunk)")[0] == "OK"
    assert m.search(None, "FLAGGED")[1] == [b"1"]
    assert m.search(None, "KEYWORD", "NonJunk")[1] == [b"1"]
    assert m.search(None, "UNSEEN")[1] == [b""]
    assert m.search(None, "OR", "SUBJECT", "lunch", "BODY", "numbers")[1] == [b"1 2"]
    assert m.search(None, "NOT", "FROM", "carol")[1] == [b"2"]
    assert m.search(None, "LARGER", "10", "SENTSINCE", "1-Nov-2026")[1][0].split()[0] == b"1"
    typ, data = m.uid("SEARCH", "UID", f"{uid2}:*")
    assert data == [str(uid2).encode()]
    assert m.store("2", "-FLAGS.SILENT", "($Important)")[1] == [None]
    assert m.fetch("2", "(FLAGS)")[1] == [b"2 (FLAGS (\\Seen))"]
    m.logout()


def test_esearch_sort_thread_and_charset(imap_engine):
    m = connect(imap_engine)
    append(m, "INBOX", "Budget", extra="Date: Tue, 3 Nov 2026 09:00:00 +0000\r\n")
    append(m, "INBOX", "Re: Budget", extra="Date: Wed, 4 Nov 2026 09:00:00 +0000\r\n"
           f"In-Reply-To: <{abs(hash('Budget'))}@remote.test>\r\n")
    append(m, "INBOX", "=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=", extra="Date: Mon, 2 Nov 2026 09:00:00 +0000\r\n")
    m.select("INBOX")
    typ, data = m._simple_command("SEARCH", "RETURN", "(MIN MAX COUNT)", "ALL")
    assert m.untagged_responses.pop("ESEARCH")[0].endswith(b"MIN 1 MAX 3 COUNT 3")
    typ, data = m.search("UTF-8", "SUBJECT", '"grüße"'.encode())
    assert data == [b"3"]
    assert m.search("KOI8-R", "ALL")[0] == "NO"
    assert m.sort("(DATE)", "UTF-8", "ALL")[1] == [b"3 1 2"]
    assert m.sort("(REVERSE SUBJECT)", "UTF-8", "ALL")[1] == [b"3 1 2"] or \
        m.sort("(REVERSE SUBJECT)", "UTF-8", "ALL")[1] == [b"3 2 1"]
    assert m.thread("REFERENCES", "UTF-8", "ALL")[1] == [b"(3)(1 2)"]
    # Threads are ordered by their first message's date (RFC 5256 §3).
    assert m.thread("ORDEREDSUBJECT", "UTF-8", "ALL")[1] == [b"(3)(1 2)"]
    m.logout()


def test_copy_move_expunge_uidplus(imap_engine):
    m = connect(imap_engine)
    uids = [append(m, "INBOX", f"note {i}") for i in range(4)]
    m.select("INBOX")
    r = Raw(imap_engine.ports["imap"]).login()
    r.cmd("SELECT INBOX")
    _, tagged = r.cmd(f"UID COPY {uids[0]} Archive")
    assert re.match(r"OK \[COPYUID \d+ %d 1\]" % uids[0], tagged)
    r.close()
    typ, data = m.uid("MOVE", f"{uids[1]}:{uids[2]}", "Trash")
    assert typ == "OK"
    assert m.select("INBOX")[1] == [b"2"]
    assert m.status("Trash", "(MESSAGES)")[1] == [b"Trash (MESSAGES 2)"]
    assert m.copy("1", "Nowhere")[1][0].startswith(b"[TRYCREATE]")
    # UID EXPUNGE removes only the named \Deleted messages.
    m.store("1:2", "+FLAGS", "(\\Deleted)")
    typ, data = m.uid("EXPUNGE", str(uids[3]))
    assert typ == "OK"
    assert m.search(None, "ALL")[1] == [b"1"]
    assert m.close()[0] == "OK"  # CLOSE expunges the rest silently
    assert m.select("INBOX")[1] == [b"0"]
    m.logout()


def test_examine_is_read_only_and_unselect(imap_engine):
    m = connect(imap_engine)
    append(m, "INBOX", "keep me")
    typ, _ = m.select("INBOX", readonly=True)
    assert "READ-ONLY" in m.untagged_responses
    assert m.store("1", "+FLAGS", "(\\Deleted)")[0] == "NO"
    m.fetch("1", "(BODY[])")
    assert m.fetch("1", "(FLAGS)")[1] == [b"1 (FLAGS ())"]  # EXAMINE never sets \Seen
    assert m._simple_command("UNSELECT")[0] == "OK"
    m.logout()


def test_binary_and_bodystructure_multipart(imap_engine):
    m = connect(imap_engine)
    body = ("--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n"
            "--b1\r\nContent-Type: application/octet-stream; name=data.bin\r\n"
            "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=data.bin\r\n\r\n"
            "AAECAwQ=\r\n--b1--\r\n")
    append(m, "INBOX", "with attachment", body=body,
           extra='MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n')
    m.select("INBOX")
    typ, data = m.fetch("1", "(BODYSTRUCTURE)")
    assert b'"mixed"' in data[0] and b'"octet-stream"' in data[0] and b'"attachment"' in data[0]
    r = Raw(imap_engine.ports["imap"]).login()
    r.cmd("SELECT INBOX")
    untagged, tagged = r.cmd("FETCH 1 (BINARY.PEEK[2] BINARY.SIZE[2] BODY.PEEK[1])")
    assert tagged.startswith("OK")
    assert "BINARY[2] ~{5}\r\n\x00\x01\x02\x03\x04" in untagged[0]
    assert "BINARY.SIZE[2] 5" in untagged[0]
    assert "BODY[1] {13}\r\nSee attached." in untagged[0]
    m.logout()


def test_condstore_and_qresync(imap_engine):
    r = Raw(imap_engine.ports["imap"]).login()
    m = connect(imap_engine)
    for i in range(3):
        append(m, "INBOX", f"cs {i}")
    untagged, tagged = r.cmd("SELECT INBOX (CONDSTORE)")
    hms = int(re.search(r"HIGHESTMODSEQ (\d+)", " ".join(untagged)).group(1))
    uidvalidity = int(re.search(r"UIDVALIDITY (\d+)", " ".join(untagged)).group(1))
    untagged, tagged = r.cmd("STORE 1 +FLAGS (\\Answered)")
    modseq1 = int(re.search(r"MODSEQ \((\d+)\)", untagged[0]).group(1))
    assert modseq1 > hms
    untagged, _ = r.cmd(f"FETCH 1:* (FLAGS) (CHANGEDSINCE {hms})")
    assert len(untagged) == 1 and "MODSEQ" in untagged[0]
    untagged, tagged = r.cmd(f"STORE 1,2 (UNCHANGEDSINCE {hms}) +FLAGS (\\Flagged)")
    assert "[MODIFIED 1]" in tagged
    # Another session expunges; QRESYNC reports it as VANISHED (EARLIER).
    m.select("INBOX")
    m.store("3", "+FLAGS", "(\\Deleted)")
    m.expunge()
    q = Raw(imap_engine.ports["imap"]).login()
    q.cmd("ENABLE QRESYNC")
    untagged, tagged = q.cmd(f"SELECT INBOX (QRESYNC ({uidvalidity} {hms}))")
    assert tagged.startswith("OK")
    assert any(u.startswith("* VANISHED (EARLIER)") for u in untagged)
    assert sum(1 for u in untagged if " FETCH (" in u) == 2
    m.logout()


def test_quota(tmp_path):
    e = start_engine(tmp_path)
    try:
        c = e.client()
        c.call("users.quota", {"address": "ann@example.com", "quotaMb": 1})
        c.close()
        m = connect(e)
        typ, data = m.getquotaroot("INBOX")
        assert data[0] == [b'INBOX ""'] and data[1] == [b'"" (STORAGE 0 1024)']
        big = "x" * 1100000
        typ, data = m.append("INBOX", None, None, f"Subject: big\r\n\r\n{big}\r\n".encode())
        assert typ == "NO" and data[0].startswith(b"[OVERQUOTA]")
        m.logout()
    finally:
        e.stop()


# --- sessions seeing each other -------------------------------------------

def test_idle_sees_delivery_flags_and_expunge(imap_engine):
    watcher = Raw(imap_engine.ports["imap"]).login()
    watcher.cmd("SELECT INBOX")
    watcher.send("w1 IDLE\r\n")
    assert watcher.line() == b"+ idling"
    start = time.time()
    deliver(imap_engine, "ann@example.com", "live one")
    assert watcher.line() == b"* 1 EXISTS"
    assert time.time() - start < 2.0  # SMTP accept + delivery + IDLE push
    other = connect(imap_engine)
    other.select("INBOX")
    other.store("1", "+FLAGS", "(\\Flagged)")
    assert watcher.line() == b"* 1 FETCH (FLAGS (\\Flagged))"
    other.store("1", "+FLAGS", "(\\Deleted)")
    watcher.line()
    other.expunge()
    assert watcher.line() == b"* 1 EXPUNGE"
    watcher.send("DONE\r\n")
    assert watcher.line() == b"w1 OK IDLE terminated"
    other.logout()


def test_noop_reports_changes_and_fetch_holds_expunges(imap_engine):
    a = Raw(imap_engine.ports["imap"]).login()
    m = connect(imap_engine)
    for i in range(2):
        append(m, "INBOX", f"n {i}")
    a.cmd("SELECT INBOX")
    m.select("INBOX")
    m.store("1", "+FLAGS", "(\\Deleted)")
    m.expunge()
    append(m, "INBOX", "n 2")
    # FETCH by sequence number must not see an EXPUNGE (RFC 9051 §7.5.1).
    untagged, tagged = a.cmd("FETCH 1:* (UID)")
    assert not any("EXPUNGE" in u for u in untagged)
    untagged, tagged = a.cmd("NOOP")
    assert "* 1 EXPUNGE" in untagged
    m.logout()


def test_mailbox_deleted_under_a_session(imap_engine):
    m = connect(imap_engine)
    m.create("Temp")
    a = Raw(imap_engine.ports["imap"]).login()
    a.cmd("SELECT Temp")
    m.delete("Temp")
    try:
        untagged, tagged = a.cmd("NOOP")
        assert any(u.startswith("* BYE") for u in untagged)
    except EOFError:
        pass
    m.logout()


def test_compress_deflate(imap_engine):
    import zlib
    m = connect(imap_engine)
    append(m, "INBOX", "squeeze me", body="compressible " * 200 + "\r\n")
    m.logout()
    r = Raw(imap_engine.ports["imap"]).login()
    _, tagged = r.cmd("COMPRESS DEFLATE")
    assert tagged == "OK DEFLATE active"
    out = zlib.compressobj(wbits=-15)
    inflate = zlib.decompressobj(wbits=-15)

    def send(text):
        r.sock.sendall(out.compress(text.encode()) + out.flush(zlib.Z_SYNC_FLUSH))

    def read_until(tag):
        data = b""
        while tag.encode() + b" " not in data:
            data += inflate.decompress(r.sock.recv(65536))
        return data

    send("c1 SELECT INBOX\r\n")
    assert b"* 1 EXISTS" in read_until("c1")
    send("c2 FETCH 1 (BODY.PEEK[TEXT])\r\n")
    data = read_until("c2")
    assert b"compressible compressible" in data and b"c2 OK" in data
    send("c3 COMPRESS DEFLATE\r\n")
    assert b"c3 NO [COMPRESSIONACTIVE]" in read_until("c3")


def test_cram_md5_offered_only_once_someone_opted_in(imap_engine):
    import hashlib
    import hmac
    import base64
    r = Raw(imap_engine.ports["imap"])
    assert b"AUTH=CRAM-MD5" not in r.greeting  # curl would pick it and fail
    c = imap_engine.client()
    c.call("users.update", {"address": "bob@example.com", "cramMd5": True})
    c.call("users.passwd", {"address": "bob@example.com", "password": PASSWORD})
    c.close()
    r = Raw(imap_engine.ports["imap"])
    assert b"AUTH=CRAM-MD5" in r.greeting
    r.send("a AUTHENTICATE CRAM-MD5\r\n")
    challenge = base64.b64decode(r.line()[2:])
    digest = hmac.new(PASSWORD.encode(), challenge, hashlib.md5).hexdigest()
    r.send(base64.b64encode(f"bob@example.com {digest}".encode()) + b"\r\n")
    assert r.until("a")[1].startswith("OK")


def test_qresync_session_gets_vanished(imap_engine):
    m = connect(imap_engine)
    uids = [append(m, "INBOX", f"v {i}") for i in range(3)]
    a = Raw(imap_engine.ports["imap"]).login()
    a.cmd("ENABLE QRESYNC")
    a.cmd("SELECT INBOX")
    m.select("INBOX")
    m.uid("STORE", f"{uids[0]},{uids[2]}", "+FLAGS", "(\\Deleted)")
    m.expunge()
    untagged, tagged = a.cmd("NOOP")
    assert f"* VANISHED {uids[0]},{uids[2]}" in untagged
    # Flag changes under QRESYNC carry the UID and MODSEQ.
    m.uid("STORE", str(uids[1]), "+FLAGS", "(\\Seen)")
    untagged, _ = a.cmd("NOOP")
    assert re.match(r"\* 1 FETCH \(UID %d FLAGS \(\\Seen\) MODSEQ \(\d+\)\)" % uids[1], untagged[0])
    m.logout()
