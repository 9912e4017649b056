"""PostgreSQL goes away under a production server, and comes back.

A real gunicorn with the production settings (DEBUG off, persistent
connections with health checks) reaches PostgreSQL through a TCP relay the
test cuts and restores, as a stopped server or a lost network would.
"""

import contextlib
import http.client
import socket
import subprocess
import sys
import threading
import time

import pytest
from django.db import connection
from django.test import Client

from tests.factories import UserFactory
from tests.mentoring.test_settings import PROJECT_ROOT, production_env

HOST = "nastavnik.example.ru"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Relay:
    """Forwards a local port to PostgreSQL; `cut()` drops every connection
    and refuses new ones, `restore()` listens again on the same port."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self.listener = None
        self.sockets: list[socket.socket] = []

    def restore(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(
            target=self._accept, args=(self.listener,), daemon=True
        ).start()

    def cut(self) -> None:
        # shutdown() wakes the accept() blocked in the other thread; close()
        # alone would leave the socket listening under it.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return  # cut
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(
                    target=self._pump, args=(source, sink), daemon=True
                ).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture
def relay():
    database = connection.settings_dict
    relay = Relay((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    relay.restore()
    yield relay
    relay.cut()


@pytest.fixture
def production_server(relay, settings, tmp_path):
    """gunicorn on the production settings, its database behind the relay."""
    database = connection.settings_dict
    port = free_port()
    env = production_env(
        DATABASE_URL=(
            f"postgres://{database['USER']}@127.0.0.1:{relay.port}/{database['NAME']}"
        ),
        # The test's sessions must be valid there: they are signed with it.
        SECRET_KEY=settings.SECRET_KEY,
        # Tests do not collect static files.
        STATIC_MANIFEST="0",
    )
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--workers", "1"]
        + ["--bind", f"127.0.0.1:{port}"],
        env=env,
        cwd=PROJECT_ROOT,
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("gunicorn did not start: " + log_text(tmp_path))
            time.sleep(0.2)
    yield port
    server.terminate()
    server.wait(timeout=30)
    log.close()


def log_text(tmp_path) -> str:
    return (tmp_path / "gunicorn.log").read_text()


def get(port: int, path: str, session: str) -> tuple[int, dict, str]:
    web = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    # Behind the TLS proxy (SECURE_PROXY_SSL_HEADER), as in production.
    web.request(
        "GET",
        path,
        headers={
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "Cookie": f"sessionid={session}",
        },
    )
    response = web.getresponse()
    body = response.read().decode()
    web.close()
    return response.status, dict(response.getheaders()), body


@pytest.mark.django_db(transaction=True)
def test_the_site_answers_503_while_postgresql_is_away_and_recovers(
    relay, production_server
):
    client = Client()
    client.force_login(UserFactory(curator=True))
    session = client.cookies["sessionid"].value

    before = get(production_server, "/", session)
    relay.cut()
    during = [get(production_server, "/", session) for _ in range(2)]
    relay.restore()
    after = get(production_server, "/", session)

    status, headers, body = before
    assert status == 200
    assert "Наставничество" in body
    # The production headers, behind the TLS proxy.
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    for status, headers, body in during:
        assert status == 503
        assert headers["Retry-After"] == "60"
        assert "Сервис временно недоступен" in body
        assert "Content-Security-Policy" in headers
    assert after[0] == 200
    assert "Наставничество" in after[2]
