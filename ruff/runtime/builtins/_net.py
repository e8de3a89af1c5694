"""What the HTTP client and the sockets share: the reference's network limits and its outbound
destination policy.

- Timeouts: 10 s to connect, 30 s to read or write a socket, 30 s for a whole HTTP request.
- Bodies and receives are capped at 8 MiB.
- RUFF_NET_DESTINATION_POLICY=deny_private (alias strict) refuses destinations that resolve to loopback,
  private, link-local, multicast or unspecified addresses, unless RUFF_ALLOW_PRIVATE_NETWORK_DESTINATIONS
  is 1/true/yes/on. The default (unset, allow_all) only checks the port range.
- Only http and https URLs are fetched (urllib alone would also open file: and ftp: URLs).
"""

from __future__ import annotations

import os
from typing import Any

from ruff.runtime.values import RuffError

CONNECT_TIMEOUT_MS = 10_000
READ_TIMEOUT_MS = 30_000
WRITE_TIMEOUT_MS = 30_000
HTTP_TIMEOUT_S = 30.0
MAX_BODY_BYTES = 8 * 1024 * 1024

POLICY_ENV = "RUFF_NET_DESTINATION_POLICY"
ALLOW_PRIVATE_ENV = "RUFF_ALLOW_PRIVATE_NETWORK_DESTINATIONS"


def _deny_private() -> bool:
    raw = os.environ.get(POLICY_ENV)
    if raw is None:
        return False
    mode = raw.strip().lower()
    if mode in ("", "allow_all", "allow-all", "permissive"):
        return False
    if mode in ("deny_private", "deny-private", "strict"):
        allow = os.environ.get(ALLOW_PRIVATE_ENV, "").strip().lower()
        return allow not in ("1", "true", "yes", "on")
    raise RuffError(f"Invalid {POLICY_ENV} value '{raw}'; expected one of: allow_all, deny_private")


def _blocked(ip: Any) -> bool:
    if ip.version == 4:
        return ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified
    return (ip.is_loopback or ip.is_unspecified or ip.is_multicast or ip.is_link_local
            or ip in _UNIQUE_LOCAL)


_UNIQUE_LOCAL: Any = None


def check_host_port(host: str, port: int, surface: str) -> None:
    """The reference's `enforce_host_port_destination_policy` (raises RuffError when refused)."""
    global _UNIQUE_LOCAL
    if not 1 <= port <= 65535:
        raise RuffError(f"{surface} failed: destination port must be 1-65535")
    if not _deny_private():
        return
    import ipaddress
    import socket

    from ruff.runtime.builtins._util import rust_error_text

    if _UNIQUE_LOCAL is None:
        _UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as e:
        raise RuffError(f"Failed to resolve network destination '{host}:{port}': {rust_error_text(e)}") from None
    addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}
    blocked = sorted((ip for ip in addresses if _blocked(ip)), key=lambda ip: (ip.version, int(ip)))
    if blocked:
        shown = ", ".join(str(ip) for ip in blocked)
        raise RuffError(f"{surface} blocked by outbound destination policy 'deny_private' (resolved to blocked "
                        f"addresses: {shown}). Set {ALLOW_PRIVATE_ENV}=1 to allow trusted local/private "
                        "destinations.")


def check_url(url: str, surface: str) -> tuple[str, str, int]:
    """Validate an http(s) URL as the reference does before a request; returns (scheme, host, port)."""
    from urllib.parse import urlsplit

    if ":" not in url or not url.split(":", 1)[0]:
        raise RuffError(f"{surface} failed: invalid URL '{url}': relative URL without a base")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise RuffError(f"{surface} failed: invalid URL '{url}': invalid port number") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise RuffError(f"{surface} failed: unsupported URL scheme '{scheme}'; expected http or https")
    host = parts.hostname
    if not host:
        raise RuffError(f"{surface} failed: invalid URL '{url}': empty host")
    if port is None:
        port = 443 if scheme == "https" else 80
    check_host_port(host, port, surface)
    return scheme, host, port


def receive_size(size: int, surface: str) -> int:
    if size <= 0:
        raise RuffError(f"{surface} size must be positive")
    if size > MAX_BODY_BYTES:
        raise RuffError(f"{surface} size exceeds maximum network body size ({size} bytes > {MAX_BODY_BYTES} bytes)")
    return size


def timed_out_text(operation: str, detail: str) -> str:
    """The reference's message for a socket operation that ran into its read/write timeout."""
    return (f"{operation} timed out after {READ_TIMEOUT_MS}ms read/{WRITE_TIMEOUT_MS}ms write timeout "
            f"policy: {detail}")
