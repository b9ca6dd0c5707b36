"""What the admin changed survives a restart; --set wins for one run."""
from mailroom_harness import Engine

PW = "a long enough password"


def test_data_survives_restart(tmp_path):
    e = Engine(tmp_path / "data").start()
    c = e.client()
    c.call("domains.add", {"name": "example.com", "description": "HQ"})
    c.call("users.add", {"address": "ann@example.com", "password": PW, "displayName": "Ann", "quotaMb": 5})
    c.call("aliases.add", {"address": "@example.com", "targets": ["ann@example.com"]})
    c.call("settings.set", {"name": "users.default_quota_mb", "value": "77"})
    c.call("settings.set", {"name": "log.level", "value": "warning"})
    before = (c.list_all("domains.list"), c.list_all("users.list"), c.list_all("aliases.list"))
    e.restart()
    c = e.client()
    after = (c.list_all("domains.list"), c.list_all("users.list"), c.list_all("aliases.list"))
    assert after == before
    s = c.call("settings.get", {"name": "users.default_quota_mb"})
    assert s["value"] == "77" and s["source"] == "admin"
    assert c.call("settings.get", {"name": "log.level"})["value"] == "warning"
    e.stop()

    e2 = Engine(tmp_path / "data", extra=["--set", "users.default_quota_mb=5"]).start()
    s = e2.client().call("settings.get", {"name": "users.default_quota_mb"})
    assert s["value"] == "5" and s["source"] == "command line"
    r = e2.client().call("settings.set", {"name": "users.default_quota_mb", "value": "9"})
    assert "note" in r and "--set" in r["note"]
    e2.stop()


def test_mailboxes_made_with_each_user(engine):
    import sqlite3
    c = engine.client()
    c.call("domains.add", {"name": "example.com"})
    c.call("users.add", {"address": "ann@example.com", "password": PW})
    db = sqlite3.connect(f"file:{engine.data}/mailroom.db?mode=ro", uri=True)
    rows = db.execute("SELECT b.name, b.special_use, b.uidvalidity, b.uidnext FROM mailboxes b "
                      "JOIN users u ON u.id = b.user_id WHERE u.address = 'ann@example.com' ORDER BY b.id").fetchall()
    assert [r[0] for r in rows] == ["INBOX", "Sent", "Drafts", "Junk", "Trash", "Archive"]
    assert [r[1] for r in rows] == ["", "\\Sent", "\\Drafts", "\\Junk", "\\Trash", "\\Archive"]
    assert len({r[2] for r in rows}) == 6 and all(r[3] == 1 for r in rows)
    hashed = db.execute("SELECT password_hash FROM users").fetchone()[0]
    assert hashed.startswith("$scrypt$ln=10,r=8,p=1$") and PW not in hashed
