"""kill -9 during a burst of 1,000 user creations: the database opens and
holds every change the engine acknowledged."""
import random
import sqlite3
import threading
import time

from mailroom_harness import AdminClient, Engine

PW = "a long enough password"
TOTAL = 1000
CONNECTIONS = 4


def test_kill_during_user_burst(tmp_path):
    e = Engine(tmp_path / "data").start()
    e.client().call("domains.add", {"name": "burst.test"})
    acked, lock = [], threading.Lock()
    killed = threading.Event()

    def worker(n):
        c = AdminClient(e.socket)
        for i in range(n, TOTAL, CONNECTIONS):
            addr = f"user{i:04d}@burst.test"
            try:
                r = c.request("users.add", {"address": addr, "password": PW})
            except OSError:
                return
            if r is None:
                return
            if "result" in r:
                with lock:
                    acked.append(addr)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CONNECTIONS)]
    for t in threads:
        t.start()
    target = random.randint(200, 700)
    deadline = time.time() + 120
    while time.time() < deadline:
        with lock:
            if len(acked) >= target:
                break
        time.sleep(0.001)
    e.kill()
    killed.set()
    for t in threads:
        t.join(timeout=30)
    print(f"acknowledged before SIGKILL: {len(acked)} of {TOTAL} (kill aimed at {target})")
    assert len(acked) >= 100

    db = sqlite3.connect(str(e.data / "mailroom.db"))
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()

    e.start()
    c = e.client()
    stored = {u["address"] for u in c.list_all("users.list", {"domain": "burst.test"})}
    missing = [a for a in acked if a not in stored]
    assert not missing, f"{len(missing)} acknowledged users lost, e.g. {missing[:5]}"
    # every stored user is whole: six mailboxes each
    db = sqlite3.connect(f"file:{e.data}/mailroom.db?mode=ro", uri=True)
    counts = db.execute("SELECT COUNT(*) FROM mailboxes GROUP BY user_id").fetchall()
    assert all(n == 6 for (n,) in counts) and len(counts) == len(stored)
    e.stop()
