"""Live log lines and directory changes are pushed to subscribed clients."""
import subprocess
import time

from mailroom_harness import MAILROOMCTL


def test_push_on_change(engine):
    watcher = engine.client()
    assert watcher.call("logs.subscribe", {"level": "info"}) == {}
    engine.client().call("domains.add", {"name": "pushed.example"})
    got = {}
    deadline = time.time() + 10
    while time.time() < deadline and len(got) < 2:
        m = watcher.read_message()
        assert m is not None
        if m.get("event") == "logs.line" and m["data"]["event"] == "domain_added":
            got["log"] = m["data"]
        if m.get("event") == "directory.changed":
            got["change"] = m["data"]
    assert got["log"]["text"] == "domain pushed.example added"
    assert got["log"]["level"] == "info" and got["log"]["module"] == "store"
    assert got["change"] == {"area": "domains", "action": "add", "name": "pushed.example"}


def test_ctl_logs_follow(engine):
    follower = subprocess.Popen([MAILROOMCTL, "--socket", engine.socket, "logs", "--follow", "--module", "store"],
                                stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(0.5)
        engine.client().call("domains.add", {"name": "followed.example"})
        deadline = time.time() + 10
        seen = ""
        while time.time() < deadline:
            line = follower.stdout.readline()
            seen += line
            if "followed.example" in line:
                break
        assert "domain_added: domain followed.example added" in seen
    finally:
        follower.terminate()
        follower.wait(timeout=10)
