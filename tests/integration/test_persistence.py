"""What the admin changed survives a restart; --set wins for one run."""
import json

from mailroom_harness import Engine

PW = "a long enough password"


def test_data_survives_restart(tmp_path):
    e = Engine(tmp_path / "data").start()
    c = e.client()
    c.call("domains.add", {"name": "example.com", "description": "HQ"})
    c.call("domains.add", {"name": "bücher.example"})
    c.call("users.add", {"address": "ann@example.com", "password": PW, "displayName": "Ann Ö", "quotaMb": 5})
    c.call("users.add", {"address": "bob@example.com", "password": PW})
    c.call("users.update", {"address": "bob@example.com", "enabled": False})
    c.call("users.quota", {"address": "bob@example.com", "quotaMb": 0})
    c.call("aliases.add", {"address": "@example.com", "targets": ["ann@example.com"]})
    c.call("aliases.add", {"address": "sales@example.com", "targets": ["ann@example.com"]})
    c.call("aliases.add", {"address": "team@example.com",
                           "targets": ["ann@example.com", "bob@example.com", "out@elsewhere.org"]})
    r = e.ctl("settings", "set", "users.default_quota_mb", "77")
    assert r.returncode == 0, r.stderr
    r = e.ctl("settings", "set", "log.level", "warning")
    assert r.returncode == 0, r.stderr
    before = (c.list_all("domains.list"), c.list_all("users.list"), c.list_all("aliases.list"))
    assert len(before[0]) == 2 and len(before[1]) == 2 and len(before[2]) == 3
    c.close()
    for _ in range(2):  # twice: a restart must not change anything by itself
        e.restart()
        c = e.client()
        after = (c.list_all("domains.list"), c.list_all("users.list"), c.list_all("aliases.list"))
        assert after == before
        assert c.call("status.get")["counts"]["users"] == 2
        c.close()
    c = e.client()
    bob = c.call("users.get", {"address": "bob@example.com"})
    assert bob["enabled"] is False and bob["quotaBytes"] == 0
    got = json.loads(e.ctl("--json", "settings", "get", "users.default_quota_mb").stdout)
    assert got["value"] == "77" and got["source"] == "admin"
    s = c.call("settings.get", {"name": "log.level"})
    assert s["value"] == "warning" and s["source"] == "admin"
    # the stored setting still acts: new users get 77 MiB
    c.call("users.add", {"address": "cat@example.com", "password": PW})
    assert c.call("users.get", {"address": "cat@example.com"})["quotaBytes"] == 77 * 1024 * 1024
    c.close()
    e.stop()

    e2 = Engine(tmp_path / "data", extra=["--set", "users.default_quota_mb=5"]).start()
    c = e2.client()
    s = c.call("settings.get", {"name": "users.default_quota_mb"})
    assert s["value"] == "5" and s["source"] == "command line"
    r = c.call("settings.set", {"name": "users.default_quota_mb", "value": "9"})
    assert "note" in r and "--set" in r["note"]
    assert c.call("settings.get", {"name": "users.default_quota_mb"})["value"] == "5"  # --set still wins
    c.close()
    e2.stop()
    # without --set the admin's latest value applies again
    e3 = Engine(tmp_path / "data").start()
    s = e3.client().call("settings.get", {"name": "users.default_quota_mb"})
    assert s["value"] == "9" and s["source"] == "admin"
    e3.stop()


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
