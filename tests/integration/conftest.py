import pytest

from mailroom_harness import Engine


@pytest.fixture
def engine(tmp_path):
    e = Engine(tmp_path / "data").start()
    yield e
    e.stop()


from mailroom_harness import free_port  # noqa: E402

PASSWORD = "correct horse battery"


@pytest.fixture
def mail_engine(tmp_path):
    """An engine with the three SMTP listeners on free ports, domain
    example.com, users ann and bob, and fast retries."""
    ports = {s: 0 for s in ("imap", "imaps", "pop3", "pop3s")}
    ports.update(smtp=free_port(), submission=free_port(), smtps=free_port())
    e = Engine(tmp_path / "data", ports=ports,
               extra=["--set", "queue.retry_first_secs=1", "--set", "queue.retry_max_secs=2",
                      "--set", "auth.failure_delay_ms=0", "--set", "server.hostname=mx.example.com"]).start()
    c = e.client()
    c.call("domains.add", {"name": "example.com"})
    for u in ("ann", "bob"):
        c.call("users.add", {"address": f"{u}@example.com", "password": PASSWORD})
    c.close()
    yield e
    e.stop()
