"""A Redis of the test's own for the distributed task backend (RQ): the ``redis_url``
fixture, offered to every test by ``kaoping/conftest.py``."""

import os
import shutil
import socket
import subprocess
import time

import pytest

REDIS_SERVER = shutil.which("redis-server")


@pytest.fixture
def redis_url():
    """A Redis of this test's own (in a shared one, a worker of another run on the machine
    could take this run's job): KAOPING_TEST_REDIS_URL, or a private ``redis-server`` on a
    free loopback port, keeping nothing on disk."""
    redis = pytest.importorskip("redis")
    if url := os.environ.get("KAOPING_TEST_REDIS_URL"):
        yield url
        return
    if REDIS_SERVER is None:
        pytest.skip("no redis-server here (apt-get install redis-server)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603 - the machine's redis-server, fixed arguments
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    try:
        for _ in range(100):
            try:
                redis.Redis.from_url(url, socket_connect_timeout=1).ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            pytest.skip(f"redis-server did not start on port {port}")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
