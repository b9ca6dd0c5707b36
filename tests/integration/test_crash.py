"""kill -9 during a burst of 1,000 user creations: the database opens and
holds every change the engine acknowledged. SIGTERM during a burst: the
engine still exits 0 and loses nothing it acknowledged."""
import random
import shutil
import sqlite3
import subprocess
import threading
import time

from mailroom_harness import AdminClient, Engine

PW = "a long enough password"
TOTAL = 1000
CONNECTIONS = 4


def integrity(db_path):
    """The sqlite3 command-line tool's verdict, as an admin would ask it."""
    r = subprocess.run(["sqlite3", str(db_path), "PRAGMA integrity_check; PRAGMA foreign_key_check;"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


class Burst:
    """CONNECTIONS clients adding TOTAL users, recording every ok reply."""

    def __init__(self, engine, domain):
        self.engine, self.domain = engine, domain
        self.acked, self.lock = [], threading.Lock()
        self.errors = []
        self.threads = [threading.Thread(target=self.worker, args=(n,)) for n in range(CONNECTIONS)]

    def worker(self, n):
        c = AdminClient(self.engine.socket)
        for i in range(n, TOTAL, CONNECTIONS):
            addr = f"user{i:04d}@{self.domain}"
            try:
                r = c.request("users.add", {"address": addr, "password": PW})
            except OSError:
                return  # the engine went away mid-request: not acknowledged
            if r is None:
                return
            with self.lock:
                if "result" in r:
                    self.acked.append(addr)
                else:
                    self.errors.append(r)

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def count(self):
        with self.lock:
            return len(self.acked)

    def join(self):
        for t in self.threads:
            t.join(timeout=60)
            assert not t.is_alive(), "a client hung after the engine went away"


def stop_when(burst, target, action):
    """A watcher thread that runs action once target users were acknowledged."""
    fired = threading.Event()

    def watch():
        deadline = time.time() + 300
        while burst.count() < target and time.time() < deadline:
            time.sleep(0.0005)
        action()
        fired.set()

    t = threading.Thread(target=watch)
    t.start()
    return t, fired


def check_every_acked_user(engine, burst):
    c = engine.client()
    stored = set()
    offset, page = 0, 250  # paging as a console would
    while True:
        r = c.call("users.list", {"domain": burst.domain, "offset": offset, "limit": page})
        stored |= {u["address"] for u in r["items"]}
        offset += len(r["items"])
        if not r["items"] or offset >= r["total"]:
            break
    assert len(stored) == r["total"]
    missing = [a for a in burst.acked if a not in stored]
    assert not missing, f"{len(missing)} acknowledged users lost, e.g. {missing[:5]}"
    c.close()
    return stored


def test_kill_during_user_burst(tmp_path, capsys):
    e = Engine(tmp_path / "data").start()
    e.client().call("domains.add", {"name": "burst.test"})
    burst = Burst(e, "burst.test").start()
    target = random.randint(200, 700)
    killer, fired = stop_when(burst, target, e.kill)
    killer.join(timeout=320)
    assert fired.is_set()
    burst.join()
    with capsys.disabled():
        print(f"\nacknowledged before SIGKILL: {len(burst.acked)} of {TOTAL} (kill aimed at {target})")
    assert len(burst.acked) >= target
    assert burst.errors == []

    # The files exactly as the crash left them (a copy: opening them must not
    # do the engine's recovery for it).
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for suffix in ("", "-wal", "-shm"):
        f = e.data / f"mailroom.db{suffix}"
        if f.exists():
            shutil.copy2(f, crashed / f.name)
    assert integrity(crashed / "mailroom.db") == "ok"

    e.start()  # same data folder: the lock of the killed engine is stale
    assert integrity(e.data / "mailroom.db") == "ok"
    stored = check_every_acked_user(e, burst)
    # every stored user is whole: six mailboxes each, no orphans
    db = sqlite3.connect(f"file:{e.data}/mailroom.db?mode=ro", uri=True)
    counts = db.execute("SELECT COUNT(*) FROM mailboxes GROUP BY user_id").fetchall()
    db.close()
    assert all(n == 6 for (n,) in counts) and len(counts) == len(stored)
    # and the engine takes new work on the recovered database
    c = e.client()
    c.call("users.add", {"address": "after@burst.test", "password": PW})
    assert c.call("status.get")["counts"]["users"] == len(stored) + 1
    c.close()
    e.stop()
    assert integrity(e.data / "mailroom.db") == "ok"


def test_sigterm_during_user_burst(tmp_path, capsys):
    e = Engine(tmp_path / "data").start()
    e.client().call("domains.add", {"name": "term.test"})
    burst = Burst(e, "term.test").start()
    target = random.randint(100, 400)
    stopped = {}

    def term():
        try:
            e.stop()  # asserts exit 0 within 10 s, requests in flight or not
            stopped["ok"] = True
        except AssertionError as err:
            stopped["error"] = str(err)

    stopper, fired = stop_when(burst, target, term)
    stopper.join(timeout=320)
    burst.join()
    assert fired.is_set()
    assert stopped.get("ok"), stopped.get("error")
    with capsys.disabled():
        print(f"\nacknowledged before SIGTERM: {len(burst.acked)} of {TOTAL}")
    log = (e.data / "logs" / "mailroomd.log").read_text()
    assert "engine_stopped" in log
    e.start()
    assert integrity(e.data / "mailroom.db") == "ok"
    check_every_acked_user(e, burst)
    e.stop()
