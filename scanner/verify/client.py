"""One authenticated GET over HTTPS, on the standard library alone (http.client and ssl).

Certificates are always verified against the default CA store, which honours SSL_CERT_FILE
and SSL_CERT_DIR; an HTTPS_PROXY (or https_proxy) from the environment is used through a
CONNECT tunnel unless NO_PROXY names the host. Redirects are never followed: http.client
does not follow them, and a 3xx is reported as such, so the key goes to no other host.

Nothing here puts the key in an exception or a returned text: errors are described by their
kind (timeout, connection reset, TLS), never by an exception's message that could quote a
request.
"""

from __future__ import annotations

import base64
import http.client
import os
import re
import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

# What an Authorization header can carry: printable ASCII without spaces. A key found by a
# user's own rule could hold anything; http.client would quote it in its ValueError.
_HEADER_SAFE = re.compile(r"[!-~]+")


@dataclass(frozen=True, slots=True)
class Answer:
    """What the server said: an HTTP status (0 when no answer came) and a few facts."""

    status: int
    body: bytes = b""
    retry_after: float | None = None  # seconds, from a Retry-After header in seconds
    failure: str = ""  # why no answer came (timeout, TLS, network), when status is 0


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An https base URL split once: host, port and the path prefix of the API."""

    host: str
    port: int
    prefix: str  # "" or "/some/path", without a trailing slash

    @classmethod
    def parse(cls, url: str) -> Endpoint:
        """The endpoint of an https URL; ValueError (naming no secret) for anything else."""
        parts = urlsplit(url.strip())
        if parts.scheme != "https":
            raise ValueError("must be an https:// URL")
        if not parts.hostname or parts.username is not None or parts.password is not None:
            raise ValueError("must name a host and no user or password")
        if parts.query or parts.fragment:
            raise ValueError("must have no query or fragment")
        try:
            port = parts.port or 443
        except ValueError:
            raise ValueError("has an invalid port") from None
        return cls(parts.hostname, port, parts.path.rstrip("/"))

    @property
    def origin(self) -> str:
        """`host` or `host:port`, as shown to the user."""
        return self.host if self.port == 443 else f"{self.host}:{self.port}"


def get(endpoint: Endpoint, path: str, key: str, timeout: float,
        context: ssl.SSLContext) -> Answer:
    """GET `path` under `endpoint` with `Authorization: Bearer <key>`; never raises for a
    network, TLS or HTTP failure (it is described in the Answer)."""
    if not _HEADER_SAFE.fullmatch(key):
        return Answer(0, failure="the key holds characters an HTTP header cannot carry")
    connection = _connection(endpoint, timeout, context)
    try:
        connection.request("GET", endpoint.prefix + path, headers={
            "Authorization": f"Bearer {key}", "Accept": "application/json",
            "User-Agent": "mistral-guard-verify",
        })
        response = connection.getresponse()
        body = response.read(1 << 20)  # a model list is a few KB; never read without bound
        return Answer(response.status, body, _retry_after(response.getheader("Retry-After")))
    except ssl.SSLCertVerificationError as exc:
        return Answer(0, failure=f"TLS certificate refused ({exc.verify_message})")
    except ssl.SSLError:
        return Answer(0, failure="TLS handshake failed")
    except TimeoutError:  # socket.timeout too: the same class
        return Answer(0, failure="timeout")
    except ConnectionResetError:
        return Answer(0, failure="connection reset")
    except (http.client.RemoteDisconnected, http.client.IncompleteRead):
        return Answer(0, failure="connection closed before a full answer")
    except http.client.HTTPException as exc:
        return Answer(0, failure=f"malformed HTTP answer ({type(exc).__name__})")
    except OSError as exc:
        return Answer(0, failure=f"network error ({exc.strerror or type(exc).__name__})")
    finally:
        connection.close()


def _connection(endpoint: Endpoint, timeout: float,
                context: ssl.SSLContext) -> http.client.HTTPSConnection:
    """A connection to the endpoint, through the environment's HTTPS proxy when one applies."""
    proxy = _proxy_for(endpoint.host)
    if proxy is None:
        return http.client.HTTPSConnection(endpoint.host, endpoint.port, timeout=timeout,
                                           context=context)
    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    connection = http.client.HTTPSConnection(parts.hostname or "", parts.port or 8080,
                                             timeout=timeout, context=context)
    headers = {}
    if parts.username is not None:
        credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        headers["Proxy-Authorization"] = "Basic " + base64.b64encode(
            credentials.encode()).decode()
    connection.set_tunnel(endpoint.host, endpoint.port, headers=headers)
    return connection


def _proxy_for(host: str) -> str | None:
    """HTTPS_PROXY / https_proxy, unless NO_PROXY / no_proxy covers `host`."""
    from urllib.request import proxy_bypass_environment  # type: ignore[attr-defined]

    proxy = os.environ.get("https_proxy") or os.environ.get("HTTPS_PROXY")
    if not proxy or proxy_bypass_environment(host):
        return None
    return proxy


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (the delta-seconds form; an HTTP date is not honoured)."""
    if value is None or not value.strip().isdigit():
        return None
    return float(value.strip())


def tls_context() -> ssl.SSLContext:
    """Certificate and host name checks on, TLS 1.2 at least, the default CA store (which
    SSL_CERT_FILE / SSL_CERT_DIR replace)."""
    context = ssl.create_default_context()
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context
