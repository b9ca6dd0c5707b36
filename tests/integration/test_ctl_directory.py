"""mailroomctl manages domains, users and aliases in a running engine."""
import base64
import hashlib
import json
import sqlite3

PW = "correct horse battery"


def ok(result):
    assert result.returncode == 0, result.stderr
    return result.stdout


def password_works(engine, address, password):
    """Checks the stored scrypt hash (PHC string) against password, with
    Python's own scrypt: until IMAP/SMTP AUTH arrive, the closest a user gets
    to logging in."""
    db = sqlite3.connect(f"file:{engine.data}/mailroom.db?mode=ro", uri=True)
    (phc,) = db.execute("SELECT password_hash FROM users WHERE address = ?", (address,)).fetchone()
    db.close()
    _, alg, params, salt, key = phc.split("$")
    assert alg == "scrypt" and password not in phc
    p = dict(kv.split("=") for kv in params.split(","))
    unb64 = lambda t: base64.b64decode(t + "=" * (-len(t) % 4))
    n, r = 1 << int(p["ln"]), int(p["r"])
    got = hashlib.scrypt(password.encode(), salt=unb64(salt), n=n, r=r, p=int(p["p"]), dklen=len(unb64(key)),
                         maxmem=256 * n * r + (1 << 20))
    return got == unb64(key)


def test_domains_users_aliases(engine):
    ok(engine.ctl("domain", "add", "example.com", "--description", "Main office"))
    ok(engine.ctl("domain", "add", "Bücher.example"))  # IDN, stored as ACE
    domains = json.loads(ok(engine.ctl("--json", "domain", "list")))
    assert [d["name"] for d in domains] == ["example.com", "xn--bcher-kva.example"]
    assert domains[0]["description"] == "Main office"

    ok(engine.ctl("user", "add", "Ann@Example.com", "--name", "Ann Smith", "--quota", "250", input=PW + "\n"))
    ok(engine.ctl("user", "add", "bob@example.com", input=PW + "\n"))
    users = json.loads(ok(engine.ctl("--json", "user", "list", "--domain", "example.com")))
    assert [u["address"] for u in users] == ["ann@example.com", "bob@example.com"]
    ann = users[0]
    assert ann["displayName"] == "Ann Smith"
    assert ann["quotaBytes"] == 250 * 1024 * 1024
    assert ann["enabled"] is True
    assert users[1]["quotaBytes"] == 1024 * 1024 * 1024  # users.default_quota_mb

    ok(engine.ctl("user", "quota", "bob@example.com", "0"))
    ok(engine.ctl("user", "disable", "bob@example.com"))
    bob = engine.client().call("users.get", {"address": "bob@example.com"})
    assert bob["quotaBytes"] == 0 and bob["enabled"] is False
    ok(engine.ctl("user", "enable", "bob@example.com"))
    assert password_works(engine, "bob@example.com", PW)
    ok(engine.ctl("user", "passwd", "bob@example.com", input="another long pässword\n"))
    assert password_works(engine, "bob@example.com", "another long pässword")  # no newline, UTF-8 kept
    assert not password_works(engine, "bob@example.com", PW)
    table = ok(engine.ctl("user", "list"))
    rows = {line.split()[0]: line for line in table.splitlines()[1:]}
    assert "250 MiB" in rows["ann@example.com"] and "Ann Smith" in rows["ann@example.com"]
    assert "unlimited" in rows["bob@example.com"]

    ok(engine.ctl("alias", "add", "sales@example.com", "ann@example.com"))
    ok(engine.ctl("alias", "add", "@example.com", "bob@example.com"))
    ok(engine.ctl("alias", "add", "team@example.com", "ann@example.com", "bob@example.com", "partner@elsewhere.org"))
    aliases = {a["address"]: a for a in json.loads(ok(engine.ctl("--json", "alias", "list")))}
    assert aliases["sales@example.com"]["kind"] == "alias"
    assert aliases["@example.com"]["kind"] == "catch-all"
    assert aliases["team@example.com"]["kind"] == "list"
    assert aliases["team@example.com"]["targets"] == ["ann@example.com", "bob@example.com", "partner@elsewhere.org"]
    text = ok(engine.ctl("domain", "list"))
    assert "example.com" in text and "bob@example.com" in text  # catch-all column

    status = json.loads(ok(engine.ctl("--json", "status")))
    assert status["counts"]["domains"] == 2
    assert status["counts"]["users"] == 2
    assert status["counts"]["aliases"] == 3
    assert "Domains 2, users 2, aliases 3" in ok(engine.ctl("status"))

    ok(engine.ctl("alias", "remove", "sales@example.com"))
    ok(engine.ctl("user", "remove", "ann@example.com"))
    # the list lost ann; aliases that pointed only to her are gone
    team = engine.client().list_all("aliases.list", {"filter": "team"})
    assert team[0]["targets"] == ["bob@example.com", "partner@elsewhere.org"]
    remaining = [u["address"] for u in json.loads(ok(engine.ctl("--json", "user", "list")))]
    assert remaining == ["bob@example.com"]


def test_remove_domain_needs_force_when_not_empty(engine):
    ok(engine.ctl("domain", "add", "example.org"))
    ok(engine.ctl("user", "add", "carol@example.org", input=PW + "\n"))
    r = engine.ctl("domain", "remove", "example.org")
    assert r.returncode == 1
    assert "still has 1 users" in r.stderr
    assert json.loads(ok(engine.ctl("--json", "domain", "list")))[0]["users"] == 1
    ok(engine.ctl("domain", "remove", "example.org", "--force"))
    assert json.loads(ok(engine.ctl("--json", "domain", "list"))) == []
    assert json.loads(ok(engine.ctl("--json", "user", "list"))) == []


def test_settings(engine):
    out = ok(engine.ctl("settings", "set", "users.default_quota_mb", "50"))
    assert "users.default_quota_mb = 50" in out
    got = json.loads(ok(engine.ctl("--json", "settings", "get", "users.default_quota_mb")))
    assert got["value"] == "50" and got["source"] == "admin" and got["default"] == "1024"
    ok(engine.ctl("domain", "add", "example.net"))
    ok(engine.ctl("user", "add", "dan@example.net", input=PW + "\n"))
    assert engine.client().call("users.get", {"address": "dan@example.net"})["quotaBytes"] == 50 * 1024 * 1024
    r = engine.ctl("settings", "set", "users.default_quota_mb", "-4")
    assert r.returncode == 1 and "between" in r.stderr
    r = engine.ctl("settings", "set", "no.such.setting", "1")
    assert r.returncode == 1 and "no setting" in r.stderr
    ok(engine.ctl("settings", "reset", "users.default_quota_mb"))
    got = json.loads(ok(engine.ctl("--json", "settings", "get", "users.default_quota_mb")))
    assert got["value"] == "1024" and got["source"] == "default"
    names = [s["name"] for s in json.loads(ok(engine.ctl("--json", "settings", "list")))]
    assert "smtp.port" in names and "dns.nameserver" in names


def test_password_from_stdin_is_required(engine):
    ok(engine.ctl("domain", "add", "example.com"))
    r = engine.ctl("user", "add", "eve@example.com", input="")
    assert r.returncode == 2 and "password" in r.stderr
    r = engine.ctl("user", "add", "eve@example.com", input="short\n")
    assert r.returncode == 1 and "too short" in r.stderr
    assert json.loads(ok(engine.ctl("--json", "user", "list"))) == []


def dangling_targets(c):
    """Alias targets in a local domain that are neither a user nor an alias."""
    local = {d["name"] for d in c.list_all("domains.list")}
    known = {u["address"] for u in c.list_all("users.list")}
    aliases = c.list_all("aliases.list")
    known |= {a["address"] for a in aliases}
    return [(a["address"], t) for a in aliases for t in a["targets"]
            if t.split("@")[1] in local and t not in known]


def test_removals_leave_no_alias_pointing_nowhere(engine):
    """An alias whose only target goes away goes too, and so do the aliases
    that pointed to it: otherwise a user added later under that address would
    silently receive their mail."""
    c = engine.client()
    for d in ("example.com", "gone.example"):
        ok(engine.ctl("domain", "add", d))
    for u in ("ann@example.com", "x@gone.example"):
        ok(engine.ctl("user", "add", u, input=PW + "\n"))
    ok(engine.ctl("alias", "add", "a1@example.com", "ann@example.com"))
    ok(engine.ctl("alias", "add", "a2@example.com", "a1@example.com"))
    ok(engine.ctl("alias", "add", "o1@example.com", "x@gone.example"))
    ok(engine.ctl("alias", "add", "o2@example.com", "o1@example.com"))
    ok(engine.ctl("alias", "add", "keep@example.com", "o1@example.com", "ann@example.com"))

    ok(engine.ctl("user", "remove", "ann@example.com"))
    assert dangling_targets(c) == []
    ok(engine.ctl("domain", "remove", "gone.example", "--force"))
    assert dangling_targets(c) == []
    assert [a["address"] for a in c.list_all("aliases.list")] == []
    # a new user at an old alias address gets nobody else's mail
    ok(engine.ctl("user", "add", "a1@example.com", input=PW + "\n"))
    assert c.list_all("aliases.list", {"filter": "a1@example.com"}) == []
