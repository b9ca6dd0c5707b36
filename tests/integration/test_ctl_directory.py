"""mailroomctl manages domains, users and aliases in a running engine."""
import json

PW = "correct horse battery"


def ok(result):
    assert result.returncode == 0, result.stderr
    return result.stdout


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
    ok(engine.ctl("user", "passwd", "bob@example.com", input="another long password\n"))

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
