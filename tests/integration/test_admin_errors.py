"""Bad input gets a clear error (stable code, a sentence) and changes nothing."""
import socket
import struct
import time

import pytest

from mailroom_harness import PROTOCOL, AdminClient, frame

PW = "a long enough password"


def snapshot(c):
    return (c.list_all("domains.list"), c.list_all("users.list"), c.list_all("aliases.list"))


@pytest.fixture
def seeded(engine):
    c = engine.client()
    c.call("domains.add", {"name": "example.com"})
    c.call("users.add", {"address": "ann@example.com", "password": PW})
    c.call("aliases.add", {"address": "a1@example.com", "targets": ["ann@example.com"]})
    c.call("aliases.add", {"address": "a2@example.com", "targets": ["a1@example.com"]})
    return engine, c


BAD = [
    ("users.add", {"address": "ann@example.com", "password": PW}, "already_exists"),
    ("users.add", {"address": "ANN@EXAMPLE.COM", "password": PW}, "already_exists"),
    ("domains.add", {"name": "example.com"}, "already_exists"),
    ("domains.add", {"name": "-bad-.com"}, "invalid_argument"),
    ("domains.add", {"name": "localhost"}, "invalid_argument"),
    ("domains.add", {"name": "a" * 64 + ".com"}, "invalid_argument"),
    ("users.add", {"address": "no-at-sign", "password": PW}, "invalid_argument"),
    ("users.add", {"address": "a@@b", "password": PW}, "invalid_argument"),
    ("users.add", {"address": "a@@example.com", "password": PW}, "invalid_argument"),
    ("users.add", {"address": "x@-bad-.com", "password": PW}, "invalid_argument"),
    ("users.add", {"address": "x" * 300 + "@example.com", "password": PW}, "invalid_argument"),
    ("users.add", {"address": "two..dots@example.com", "password": PW}, "invalid_argument"),
    ("users.add", {"address": "\"quoted\"@example.com", "password": PW}, "invalid_argument"),
    ("users.add", {"address": "eve@unknown.org", "password": PW}, "not_found"),
    ("users.add", {"address": "a1@example.com", "password": PW}, "conflict"),
    ("users.add", {"address": "eve@example.com", "password": "short"}, "invalid_argument"),
    ("users.add", {"address": "eve@example.com", "password": PW, "quotaMb": "ten"}, "invalid_argument"),
    ("users.add", {"address": "eve@example.com", "password": PW, "quotaMb": -1}, "invalid_argument"),
    ("users.add", {"address": 42, "password": PW}, "invalid_argument"),
    ("users.add", {"address": "eve@example.com"}, "invalid_argument"),
    ("users.add", {"address": "eve@example.com", "password": PW, "isAdmin": True}, "invalid_argument"),
    ("users.remove", {"address": "nobody@example.com"}, "not_found"),
    ("users.passwd", {"address": "nobody@example.com", "password": PW}, "not_found"),
    ("aliases.add", {"address": "ann@example.com", "targets": ["a1@example.com"]}, "conflict"),
    ("aliases.add", {"address": "a1@example.com", "targets": ["ann@example.com"]}, "already_exists"),
    ("aliases.update", {"address": "a1@example.com", "targets": ["a2@example.com"]}, "conflict"),  # loop
    ("aliases.add", {"address": "a3@example.com", "targets": ["a3@example.com"]}, "conflict"),
    ("aliases.add", {"address": "a3@example.com", "targets": ["ghost@example.com"]}, "not_found"),
    ("aliases.add", {"address": "a3@example.com", "targets": []}, "invalid_argument"),
    ("aliases.add", {"address": "a3@example.com", "targets": [7]}, "invalid_argument"),
    ("aliases.add", {"address": "a3@elsewhere.org", "targets": ["ann@example.com"]}, "not_found"),
    ("domains.remove", {"name": "example.com", "force": "yes"}, "invalid_argument"),
    ("domains.remove", {"name": "example.com"}, "conflict"),
    ("domains.list", {"limit": 0}, "invalid_argument"),
    ("domains.list", {"limit": 1000000}, "invalid_argument"),
    ("settings.set", {"name": "smtp.port", "value": "99999"}, "invalid_argument"),
    ("logs.query", {"level": "loud"}, "invalid_argument"),
    ("logs.query", {"since": "yesterday"}, "invalid_argument"),
    ("no.such.method", {}, "not_found"),
]


@pytest.mark.parametrize("method,params,code", BAD, ids=[f"{m}-{i}" for i, (m, _, _) in enumerate(BAD)])
def test_refused_and_unchanged(seeded, method, params, code):
    engine, c = seeded
    before = snapshot(c)
    err = c.error(method, params)
    assert err["code"] == code, err
    assert len(err["message"]) > 15
    assert snapshot(c) == before


def test_request_before_hello(engine):
    c = engine.client(hello=False)
    r = c.request("domains.list", {})
    assert r["error"]["code"] == "protocol_error"
    assert "hello" in r["error"]["message"]
    r = c.request("domains.add", {"name": "early.example"})
    assert r["error"]["code"] == "protocol_error"
    assert engine.client().list_all("domains.list") == []  # nothing changed


def test_message_without_version_or_id(engine):
    c = engine.client()
    c.send_raw(frame({"id": 3, "method": "domains.list"}))
    r = c.reply()
    assert r["error"]["code"] == "protocol_error" and "version" in r["error"]["message"]
    c.send_raw(frame({"v": PROTOCOL, "id": "three", "method": "domains.list"}))
    r = c.reply()
    assert r["error"]["code"] == "protocol_error" and "id" in r["error"]["message"]
    c.send_raw(frame({"v": PROTOCOL, "id": 4, "method": "domains.add", "params": ["x.example"]}))
    r = c.reply()
    assert r["error"]["code"] == "protocol_error" and "params" in r["error"]["message"]
    assert c.call("domains.list")["total"] == 0  # the connection still works, nothing changed


def test_frames_fed_byte_by_byte_and_pipelined(engine):
    """The engine's frame reader must not care how the bytes are cut."""
    c = engine.client(hello=False)
    data = frame({"v": PROTOCOL, "id": 0, "method": "hello", "params": {"client": "bytewise", "version": PROTOCOL}})
    data += frame({"v": PROTOCOL, "id": 1, "method": "domains.add", "params": {"name": "bytewise.example"}})
    for i in range(len(data)):
        c.send_raw(data[i:i + 1])
    assert c.reply()["id"] == 0
    r = c.reply()
    assert r["id"] == 1 and r["result"]["domain"]["name"] == "bytewise.example"
    # 100 requests in one write: 100 replies, in order, ids echoed
    c.send_raw(b"".join(frame({"v": PROTOCOL, "id": 1000 + i, "method": "domains.list", "params": {}}) for i in range(100)))
    replies = [c.reply() for _ in range(100)]
    assert [r["id"] for r in replies] == [1000 + i for i in range(100)]
    assert all(r["result"]["total"] == 1 for r in replies)


def test_wrong_protocol_version(engine):
    c = engine.client(hello=False)
    r = c.request("hello", {"client": "old console", "version": 99}, id_=0)
    assert r["error"]["code"] == "version_mismatch"
    assert "99" in r["error"]["message"] and f"version {PROTOCOL}" in r["error"]["message"]
    assert c.read_message() is None  # closed
    c2 = engine.client(hello=False)
    c2.send("domains.list", {}, version=PROTOCOL + 1)
    r = c2.reply()
    assert r["error"]["code"] == "version_mismatch"


def test_malformed_json_closes_only_that_connection(engine):
    c = engine.client()
    body = b"{this is not json"
    c.send_raw(struct.pack(">I", len(body)) + body)
    r = c.read_message()
    assert r["error"]["code"] == "protocol_error"
    assert c.read_message() is None
    assert engine.client().call("status.get")["version"]


def test_huge_frame_is_refused_without_buffering(engine):
    rss = engine.rss_kib()
    c = engine.client()
    c.send_raw(struct.pack(">I", 0xFFFFFFF0) + b"x" * 65536)
    r = c.read_message()
    assert r["error"]["code"] == "too_large"
    assert c.read_message() is None
    # a frame over admin.max_frame_bytes (16 MiB) sent in full
    c = engine.client()
    try:
        c.send_raw(frame({"v": PROTOCOL, "id": 1, "method": "domains.add", "params": {"name": "x" * (17 << 20)}}))
    except (BrokenPipeError, ConnectionResetError):
        pass
    try:
        r = c.read_message()
        assert r is None or r["error"]["code"] == "too_large"
    except ConnectionResetError:
        pass
    assert engine.rss_kib() - rss < 64 * 1024, "engine memory grew by more than 64 MiB"
    assert engine.client().list_all("domains.list") == []


def test_frame_limit_is_exact(tmp_path):
    """admin.max_frame_bytes is the largest frame accepted, not one byte less or more."""
    from mailroom_harness import Engine
    limit = 4096
    e = Engine(tmp_path / "data", extra=["--set", f"admin.max_frame_bytes={limit}"]).start()
    try:
        def sized(n, id_):
            base = {"v": PROTOCOL, "id": id_, "method": "domains.update", "params": {"name": "example.com", "description": ""}}
            pad = n - (len(frame(base)) - 4)
            base["params"]["description"] = "d" * pad
            f = frame(base)
            assert len(f) - 4 == n
            return f
        c = e.client()
        c.call("domains.add", {"name": "example.com"})
        c.send_raw(sized(limit, 7))
        r = c.reply()
        assert r["id"] == 7 and r["error"]["code"] == "invalid_argument"  # read and judged: description too long
        c.send_raw(sized(limit + 1, 8))
        r = c.reply()
        assert r["error"]["code"] == "too_large" and r["error"]["message"]
        assert c.read_message() is None
        assert e.client().list_all("domains.list")[0]["description"] == ""
    finally:
        e.stop()


def test_client_hanging_up_mid_request(engine):
    """A client that sends a request and leaves at once (Ctrl-C on mailroomctl,
    a console closing) must not take the engine down."""
    c = engine.client()
    c.call("domains.add", {"name": "example.com"})
    for i in range(20):
        gone = engine.client()
        gone.send("users.add", {"address": f"gone{i}@example.com", "password": PW})
        gone.close()
    time.sleep(1)
    assert engine.proc.poll() is None, f"engine died: {engine.stderr_text()}"
    c = engine.client()
    users = c.list_all("users.list")
    assert c.call("status.get")["counts"]["users"] == len(users)
    # each request either completed or did not: a user exists whole or not at all
    for u in users:
        assert c.call("users.get", {"address": u["address"]})["address"] == u["address"]


def test_ctl_exit_codes(engine, tmp_path):
    r = engine.ctl("user", "add", "x@nowhere.org", input="long enough password\n")
    assert r.returncode == 1 and "Add the domain first" in r.stderr
    r = engine.ctl("user", "frobnicate")
    assert r.returncode == 2 and "unknown command" in r.stderr
    r = engine.ctl("user", "quota", "x@y.z", "lots")
    assert r.returncode == 2
    r = engine.ctl("status", socket_path=str(tmp_path / "none.sock"))
    assert r.returncode == 69 and "not running" in r.stderr


def test_connection_cap_per_uid(engine):
    held = [engine.client() for _ in range(16)]  # admin.max_connections_per_uid
    extra = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    extra.settimeout(10)
    extra.connect(engine.socket)
    # Refused: the engine closes it without a word, possibly before we write.
    try:
        extra.sendall(frame({"v": PROTOCOL, "id": 0, "method": "hello", "params": {"client": "t", "version": PROTOCOL}}))
        assert extra.recv(100) == b""
    except (BrokenPipeError, ConnectionResetError):
        pass
    for h in held:
        h.close()
    time.sleep(0.3)
    assert engine.client().call("status.get")["version"]


def test_untrusted_uid_is_refused_even_when_it_reaches_the_socket(tmp_path):
    """The folder's mode keeps other users out; the peer-uid check must hold
    even when the folder is opened up by mistake."""
    import os
    import shutil
    import subprocess
    import sys
    import tempfile
    from mailroom_harness import Engine
    if os.geteuid() != 0:
        pytest.skip("needs root to act as another user (CI runs as root)")
    run = tempfile.mkdtemp(prefix="mailroom-peer-")
    os.chmod(run, 0o755)
    engine = Engine(tmp_path / "data", extra=["--set", f"admin.socket={run}/sock/admin.sock"])
    engine.socket = f"{run}/sock/admin.sock"
    engine.start()
    os.chmod(os.path.dirname(engine.socket), 0o755)  # the mistake
    os.chmod(engine.socket, 0o777)
    probe = (
        "import os, socket, struct, json\n"
        "os.setgid(65534); os.setuid(65534)\n"
        "s = socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(%r)\n"
        "b = json.dumps({'v': %d, 'id': 0, 'method': 'hello', 'params': {'client': 'x', 'version': %d}}).encode()\n"
        "try:\n"
        "    s.sendall(struct.pack('>I', len(b)) + b); print(repr(s.recv(100)))\n"
        "except (BrokenPipeError, ConnectionResetError):\n"
        "    print(repr(b''))\n" % (engine.socket, PROTOCOL, PROTOCOL))
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "b''", r.stdout  # closed without an answer
    deadline = time.time() + 10
    while time.time() < deadline:
        rows = engine.client().call("logs.query", {"module": "admin", "level": "warning"})["items"]
        if any(x["event"] == "admin_rejected" and "65534" in x["text"] for x in rows):
            break
        time.sleep(0.1)
    else:
        raise AssertionError("no admin_rejected event for uid 65534")
    engine.stop()
    shutil.rmtree(run)
