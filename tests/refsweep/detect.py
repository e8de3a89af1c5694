"""Programs that need another machine, recognised from their source and from how their run failed."""

from __future__ import annotations

import re

from tests.refsweep.model import RunResult

# Client builtins reach the host they name; server builtins wait for clients that never come here.
_CLIENT = re.compile(r"\b(http_(?:get|post|put|delete|patch|head|request)\w*|parallel_http|http_download\w*"
                     r"|tcp_connect|udp_send_to|oauth2_\w+|websocket_connect)\s*\(")
_SERVER = re.compile(r"\b(http_server|tcp_listen|udp_bind|websocket_serve)\s*\(")
_OUTSIDE_DB = re.compile(r"db_connect\s*\(\s*\"(postgres|postgresql|mysql)\"")
_REMOTE_URL = re.compile(r"https?://(?!localhost|127\.0\.0\.1)[\w.-]+")
_LOCAL_URL = re.compile(r"(?:https?://)?(?:localhost|127\.0\.0\.1):\d+")

# How a request to a host this machine cannot reach, or a database server it does not run, fails here.
_UNREACHABLE = re.compile(r"failed to lookup address|Name or service not known|Temporary failure in name "
                          r"resolution|Connection refused|Network is unreachable|No route to host"
                          r"|Unsupported database type")


def network_reason(source: str, result: RunResult) -> str:
    """Why this run failed for want of another machine, or "" when it did not (or need not) fail so."""
    if result.exit_code is None:
        m = _SERVER.search(source)
        return f"starts a server ({m.group(1)}) and waits for clients until the time limit" if m else ""
    if result.exit_code == 0 or not _UNREACHABLE.search(result.stderr):
        return ""
    m = _OUTSIDE_DB.search(source)
    if m:
        return f"connects to a {m.group(1)} server"
    m = _CLIENT.search(source)
    if m:
        url = _REMOTE_URL.search(source) or _LOCAL_URL.search(source)
        where = url.group(0) if url else "a host it names at run time"
        return f"calls {m.group(1)} on {where}, which no server on this machine answers"
    return ""
