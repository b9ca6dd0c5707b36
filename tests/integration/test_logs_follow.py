"""Live log lines and directory changes are pushed to subscribed clients."""
import subprocess
import time

from mailroom_harness import MAILROOMCTL, PROTOCOL


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


def wait_for(client, pred, timeout=10):
    """Reads messages until pred(message) holds; returns the ones read."""
    client.sock.settimeout(timeout)
    seen = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        m = client.read_message()
        assert m is not None, "engine closed the connection"
        seen.append(m)
        if pred(m):
            return seen
    raise AssertionError(f"nothing matched within {timeout} s; got {seen}")


def test_push_has_the_documented_shape(engine):
    """schema.json: logs.line data is {id, time, level, module, event, text, fields}."""
    watcher = engine.client()
    watcher.call("logs.subscribe", {"module": "store"})
    engine.client().call("domains.add", {"name": "shape.example"})
    line = wait_for(watcher, lambda m: m.get("event") == "logs.line")[-1]
    assert line["v"] == PROTOCOL
    assert set(line["data"]) == {"id", "time", "level", "module", "event", "text", "fields"}, line
    # and the id is the one logs.query pages by
    deadline = time.time() + 10
    while time.time() < deadline:
        rows = watcher.call("logs.query", {"module": "store", "limit": 5})["items"]
        if rows and rows[0]["event"] == "domain_added":
            break
        time.sleep(0.1)
    assert rows[0]["id"] == line["data"].get("id")


def test_changes_reach_everyone_logs_only_subscribers(engine):
    plain = engine.client()  # said hello, did not subscribe
    watcher = engine.client()
    watcher.call("logs.subscribe", {"level": "info", "module": "store"})
    actor = engine.client()
    actor.call("domains.add", {"name": "a.example"})
    got = wait_for(plain, lambda m: m.get("event") == "directory.changed")
    assert got[-1]["data"] == {"area": "domains", "action": "add", "name": "a.example"}
    assert not any(m.get("event") == "logs.line" for m in got)
    wait_for(watcher, lambda m: m.get("event") == "logs.line" and m["data"]["event"] == "domain_added")
    # the actor hears about its own change too, after its reply
    actor.call("users.add", {"address": "ann@a.example", "password": "a long enough password"})
    wait_for(actor, lambda m: m.get("event") == "directory.changed" and m["data"]["area"] == "users")
    assert watcher.call("logs.unsubscribe") == {}
    watcher.pushes.clear()
    actor.call("domains.add", {"name": "b.example"})
    got = wait_for(watcher, lambda m: m.get("event") == "directory.changed" and m["data"]["name"] == "b.example")
    time.sleep(0.5)  # a logs.line would have come with the change
    watcher.sock.settimeout(0.5)
    try:
        while True:
            m = watcher.read_message()
            got.append(m)
    except TimeoutError:
        pass
    assert not [m for m in got + watcher.pushes if m and m.get("event") == "logs.line"
                and m["data"].get("event") == "domain_added" and "b.example" in m["data"]["text"]]


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
