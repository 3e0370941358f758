"""The search-engine store over TLS with a CA file, with an API key or basic auth.

The local engine runs without security, so a small TLS front end on loopback stands where a
production cluster's HTTPS endpoint would: it holds a certificate signed by a CA made for the
test, refuses requests without the expected credentials (401), and forwards the rest to the real
engine. The store must verify the certificate against ``ca_file`` and send the credentials.
"""

from __future__ import annotations

import contextlib
import http.client
import ssl
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest
from scamtrail.index import open_store
from scamtrail.index.search_engine import SearchEngineStore

from scamtrail.errors import StoreError
from scamtrail.settings import load_settings
from tests.conftest import enriched

API_KEY = "c2NhbXRyYWlsOnRlc3Qta2V5"
BASIC = "Basic c2NhbXRyYWlsOnMzY3JldA=="  # scamtrail:s3cret


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CA, and a server certificate for 127.0.0.1 signed by it."""
    d = tmp_path_factory.mktemp("tls")
    _openssl(
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        "-subj", "/CN=scamtrail test CA", "-keyout", "ca.key", "-out", "ca.pem", cwd=d,
    )  # fmt: skip
    _openssl(
        "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", "server.key", "-out", "server.csr", cwd=d,
    )  # fmt: skip
    (d / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n")
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.pem", cwd=d,
    )  # fmt: skip
    return d


class _Front(BaseHTTPRequestHandler):
    upstream: tuple[str, int]
    accepted: tuple[str, ...]
    seen: list[str | None]

    def _forward(self) -> None:
        auth = self.headers.get("Authorization")
        self.seen.append(auth)
        if auth not in self.accepted:
            body = b'{"error": "missing or wrong credentials"}'
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {
            k: v for k, v in self.headers.items() if k.lower() not in ("host", "authorization")
        }
        conn = http.client.HTTPConnection(*self.upstream, timeout=60)
        try:
            conn.request(self.command, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _forward

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        return


@pytest.fixture
def tls_front(certs: Path, search_url: str) -> Iterator[tuple[int, list[str | None]]]:
    """(port, authorization headers seen) of an HTTPS front end to the real engine."""
    up = urlparse(search_url.split("+", 1)[1])
    seen: list[str | None] = []
    handler = type(
        "Front",
        (_Front,),
        {
            "upstream": (up.hostname, up.port or 9200),
            "accepted": (f"ApiKey {API_KEY}", BASIC),
            "seen": seen,
        },
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(certs / "server.pem", certs / "server.key")
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], seen
    server.shutdown()
    server.server_close()


def _roundtrip(store: SearchEngineStore, prefix: str) -> None:
    try:
        store.setup()
        store.write([enriched(f"{prefix}-1", phones=("+919876500011",))])
        store.write([enriched(f"{prefix}-2", phones=("+919876500011",))])
        assert store.lookup("phone", "+919876500011").complaint_count == 2
    finally:
        for index in ("complaints*", "identifiers*", "alerts*", "marks*", "partner*"):
            with contextlib.suppress(Exception):  # best-effort cleanup of the test's indices
                store._client.indices.delete(index=f"{prefix}-{index}", ignore_unavailable=True)
        store.close()


def test_api_key_over_tls_with_a_ca_file(certs, tls_front, tmp_path: Path) -> None:
    port, seen = tls_front
    settings = load_settings(
        home=tmp_path,
        store=f"opensearch+https://127.0.0.1:{port}",
        store_api_key=API_KEY,
        store_ca_file=str(certs / "ca.pem"),
        index_prefix="tlskey-",
    )
    store = open_store(settings)
    assert isinstance(store, SearchEngineStore)
    _roundtrip(store, "tlskey")
    assert seen and set(seen) == {f"ApiKey {API_KEY}"}


def test_basic_auth_from_the_url_over_tls(certs, tls_front) -> None:
    port, seen = tls_front
    store = SearchEngineStore(
        f"opensearch+https://scamtrail:s3cret@127.0.0.1:{port}",
        index_prefix="tlsbasic-",
        ca_file=str(certs / "ca.pem"),
    )
    _roundtrip(store, "tlsbasic")
    assert seen and set(seen) == {BASIC}


def test_an_unknown_ca_is_refused(tls_front) -> None:
    port, seen = tls_front
    store = SearchEngineStore(f"opensearch+https://127.0.0.1:{port}", api_key=API_KEY)
    try:
        with pytest.raises(StoreError) as info:
            store.health()
        assert "certificate" in str(info.value).lower() or "ssl" in str(info.value).lower()
        assert seen == []  # no request got through the handshake
    finally:
        store.close()


def test_wrong_credentials_are_a_clear_error(certs, tls_front) -> None:
    port, _ = tls_front
    store = SearchEngineStore(
        f"opensearch+https://127.0.0.1:{port}", api_key="wrong", ca_file=str(certs / "ca.pem")
    )
    try:
        with pytest.raises(StoreError) as info:
            store.health()
        assert "401" in str(info.value)
        assert not info.value.retriable
    finally:
        store.close()
