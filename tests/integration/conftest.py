import pytest

from mailroom_harness import Engine


@pytest.fixture
def engine(tmp_path):
    e = Engine(tmp_path / "data").start()
    yield e
    e.stop()
