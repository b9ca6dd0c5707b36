"""mailroomd's command line, exit codes, listeners, shutdown and logs."""
import os
import signal
import smtplib
import socket
import ssl
import sqlite3
import stat
import subprocess
import time

from mailroom_harness import MAILROOMD, SOURCE, Engine, free_port

PW = "secret-sauce-1234"


def run(*args, timeout=30):
    return subprocess.run([MAILROOMD, *args], capture_output=True, text=True, timeout=timeout)


def test_print_settings_matches_docs():
    r = run("--print-settings")
    assert r.returncode == 0
    assert r.stdout == (SOURCE / "docs/settings.md").read_text(encoding="utf-8")


def test_unknown_setting_and_bad_value(tmp_path):
    r = run("--data", str(tmp_path / "d"), "--set", "smtp.prot=25")
    assert r.returncode == 78 and "smtp.prot" in r.stderr
    r = run("--data", str(tmp_path / "d"), "--set", "smtp.port=http")
    assert r.returncode == 78 and "whole number" in r.stderr
    conf = tmp_path / "bad.conf"
    conf.write_text("# settings\nsmtp.port = 25\nimap.port 143\n")
    r = run("--data", str(tmp_path / "d"), "--config", str(conf))
    assert r.returncode == 78 and "line 3" in r.stderr
    r = run("--bogus")
    assert r.returncode == 64


def test_data_folder_that_is_a_file(tmp_path):
    f = tmp_path / "file"
    f.write_text("not a folder")
    r = run("--data", str(f), "--set", "smtp.port=0")
    assert r.returncode == 73 and "is a file" in r.stderr


def test_second_engine_on_same_folder(engine):
    r = subprocess.run(engine.args(), capture_output=True, text=True, timeout=30)
    assert r.returncode == 75
    assert "Another mailroomd" in r.stderr and str(engine.proc.pid) in r.stderr
    assert engine.client().call("status.get")["pid"] == engine.proc.pid


def test_port_taken(tmp_path):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    e = Engine(tmp_path / "data", ports={"smtp": port, "imap": 0, "pop3": 0, "submission": 0, "smtps": 0,
                                         "imaps": 0, "pop3s": 0})
    r = subprocess.run(e.args(), capture_output=True, text=True, timeout=30)
    busy.close()
    assert r.returncode == 69
    assert str(port) in r.stderr and "smtp.port" in r.stderr
    # the failed start left nothing behind that blocks the next one
    e.start()
    assert e.client().call("status.get")["pid"] == e.proc.pid
    e.stop()


def test_listeners_status_and_sigterm(tmp_path):
    ports = {"smtp": free_port(), "submission": free_port(), "smtps": free_port(), "imap": free_port(),
             "imaps": 0, "pop3": free_port(), "pop3s": 0}
    e = Engine(tmp_path / "data", ports=ports).start()
    status = e.client().call("status.get")
    listening = {l["service"]: l for l in status["listeners"] if l["state"] == "listening"}
    assert set(listening) == {"smtp", "submission", "smtps", "imap", "pop3"}
    assert listening["smtp"]["port"] == ports["smtp"]
    # Every mail protocol greets on its listeners.
    with smtplib.SMTP("127.0.0.1", ports["smtp"], timeout=10) as smtp:
        assert smtp.noop()[0] == 250
    with socket.create_connection(("127.0.0.1", ports["imap"]), timeout=10) as s:
        assert s.recv(100).startswith(b"* OK [CAPABILITY IMAP4rev1 IMAP4rev2")
    with socket.create_connection(("127.0.0.1", ports["pop3"]), timeout=10) as s:
        assert s.recv(100).startswith(b"+OK")
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", ports["smtps"]), timeout=10) as raw:
        with ctx.wrap_socket(raw) as s:  # implicit TLS: the handshake comes first
            assert s.recv(100).startswith(b"220 ")
    e.stop()  # asserts exit code 0 on SIGTERM
    log = (e.data / "logs" / "mailroomd.log").read_text()
    assert "engine_started" in log and "engine_stopped" in log
    assert not (e.data / "mailroomd.lock").exists()


def test_sigint_stops_cleanly_too(engine):
    engine.proc.send_signal(signal.SIGINT)
    assert engine.proc.wait(timeout=10) == 0
    engine.proc = None
    assert "engine_stopped" in (engine.data / "logs" / "mailroomd.log").read_text()


def test_admin_socket_is_private(engine, tmp_path):
    """Only the engine's user may enter the socket's folder; the data folder
    is closed to others."""
    run = os.stat(os.path.dirname(engine.socket))
    assert stat.S_IMODE(run.st_mode) == 0o700
    assert stat.S_ISSOCK(os.stat(engine.socket).st_mode)
    assert stat.S_IMODE(os.stat(engine.data).st_mode) & 0o007 == 0
    # another socket path through the setting; mailroomctl follows --socket
    elsewhere = tmp_path / "elsewhere" / "ctl.sock"
    e2 = Engine(tmp_path / "data2", extra=["--set", f"admin.socket={elsewhere}"])
    e2.socket = str(elsewhere)
    e2.start()
    r = e2.ctl("status")
    assert r.returncode == 0 and str(e2.data) in r.stdout, r.stdout + r.stderr
    e2.stop()


def test_logs_never_hold_passwords(engine):
    c = engine.client()
    r = engine.ctl("domain", "add", "example.com")
    assert r.returncode == 0, r.stderr
    r = engine.ctl("user", "add", "ann@example.com", input=PW + "\n")
    assert r.returncode == 0, r.stderr
    r = engine.ctl("user", "passwd", "ann@example.com", input=PW + "x\n")
    assert r.returncode == 0, r.stderr
    r = engine.ctl("user", "add", "ann@example.com", input=PW + "\n")  # refused: exists
    assert r.returncode == 1
    c.error("users.add", {"address": "bob@example.com", "password": PW, "quotaMb": "x"})  # refused: bad type
    c.error("users.add", {"address": "bob@example.com", "password": PW, "bogus": PW})  # refused: unknown param
    # Events reach logs.db in batches; give them a moment.
    deadline = time.time() + 10
    while True:
        r = engine.ctl("logs", "--level", "info")
        assert r.returncode == 0, r.stderr
        if "user_password_changed" in r.stdout or time.time() > deadline:
            break
        time.sleep(0.1)
    assert "user_added: user ann@example.com added" in r.stdout
    assert "user_password_changed" in r.stdout
    engine.stop()
    secret = [PW.encode(), (PW + "x").encode()]
    files = [f for f in engine.data.rglob("*") if f.is_file()] + [engine.stderr_path]
    assert engine.data / "logs" / "mailroomd.log" in files and engine.data / "logs.db" in files
    for f in files:
        data = f.read_bytes()
        for pw in secret:
            assert pw not in data, f"password found in {f}"
    db = sqlite3.connect(str(engine.data / "logs.db"))
    events = [r[0] for r in db.execute("SELECT event FROM events ORDER BY id")]
    db.close()
    assert "engine_started" in events and "user_added" in events and "engine_stopped" in events
