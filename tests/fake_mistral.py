"""A local HTTPS server that plays the Mistral API for --verify tests (127.0.0.1 only).

Each key gets a behaviour: "live" (200, a model list), "401", "403", "429" (Retry-After 1,
then 200), "429-forever" (Retry-After 3600), "slow" (answers after `slow_seconds`), "reset"
(the connection is reset), "redirect" (302 to another server), "malformed" (200, not JSON);
any other key is answered 401. Every request is recorded (path, Authorization, Host), so
tests can count what was sent where. A CONNECT proxy is here too, for HTTPS_PROXY.
"""

from __future__ import annotations

import json
import select
import socket
import socketserver
import ssl
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import trustme

MODEL_LIST = json.dumps({"object": "list", "data": [{"id": "mistral-small-latest"}]}).encode()


@dataclass
class Request:
    path: str
    authorization: str | None
    host: str | None


@dataclass
class FakeApi:
    """What the running server answers and what it was asked."""

    url: str
    behaviours: dict[str, str] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    redirect_to: str = "https://127.0.0.1:9/v1/models"
    slow_seconds: float = 3.0
    in_flight: int = 0
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def sent(self, key: str) -> int:
        """How many requests carried `key` in any header."""
        return sum(key in (r.authorization or "") for r in self.requests)


def _handler(api: FakeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # quiet: no key in test logs
            pass

        def do_GET(self) -> None:
            authorization = self.headers.get("Authorization")
            with api.lock:
                api.requests.append(Request(self.path, authorization, self.headers.get("Host")))
                api.in_flight += 1
                api.max_in_flight = max(api.max_in_flight, api.in_flight)
                tries = sum(r.authorization == authorization for r in api.requests)
            try:
                key = (authorization or "").removeprefix("Bearer ")
                self._answer(api.behaviours.get(key, "401"), tries)
            finally:
                with api.lock:
                    api.in_flight -= 1

        def _answer(self, behaviour: str, tries: int) -> None:
            if behaviour == "slow":
                time.sleep(api.slow_seconds)
                behaviour = "live"
            if behaviour == "reset":
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
                return
            if behaviour == "429" and tries > 1:
                behaviour = "live"
            status, headers, body = {
                "live": (200, {}, MODEL_LIST),
                "401": (401, {}, b'{"message": "Unauthorized"}'),
                "403": (403, {}, b'{"message": "Forbidden"}'),
                "429": (429, {"Retry-After": "1"}, b"{}"),
                "429-forever": (429, {"Retry-After": "3600"}, b"{}"),
                "redirect": (302, {"Location": api.redirect_to}, b""),
                "malformed": (200, {}, b"<html>captive portal</html>"),
            }[behaviour]
            self.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(body))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

    return Handler


class _QuietServer(ThreadingHTTPServer):
    """Clients that give up (a timeout, a refused certificate) are expected: no traceback."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@contextmanager
def certificate_authority(tmp_path) -> Iterator[tuple[trustme.CA, str]]:
    """A test CA and the path of its PEM bundle (for SSL_CERT_FILE)."""
    ca = trustme.CA()
    bundle = tmp_path / "test-ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    yield ca, str(bundle)


@contextmanager
def fake_api(ca: trustme.CA, names: tuple[str, ...] = ("127.0.0.1", "localhost"),
             host: str = "127.0.0.1") -> Iterator[FakeApi]:
    """The fake API on an ephemeral port of 127.0.0.1, its certificate issued by `ca` for
    `names`; `host` is the name the URL uses."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert(*names).configure_cert(context)
    server = _QuietServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    api = FakeApi(url=f"https://{host}:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(api)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Proxy:
    url: str
    targets: list[str] = field(default_factory=list)  # host:port of each CONNECT


@contextmanager
def connect_proxy() -> Iterator[Proxy]:
    """An HTTP CONNECT proxy on 127.0.0.1 that tunnels bytes and records each target."""
    proxy = Proxy(url="")

    class Tunnel(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = self.request.recv(4096)
                if not chunk:
                    return
                head += chunk
            target = head.split(b" ", 2)[1].decode()
            proxy.targets.append(target)
            name, port = target.rsplit(":", 1)
            with socket.create_connection((name, int(port)), timeout=10) as upstream:
                self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                ends = [self.request, upstream]
                while True:
                    readable, _, _ = select.select(ends, [], [], 10)
                    if not readable:
                        return
                    for end in readable:
                        data = end.recv(65536)
                        if not data:
                            return
                        (upstream if end is self.request else self.request).sendall(data)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Tunnel)
    server.daemon_threads = True
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
