"""TCP and UDP sockets, with the reference's names, values and messages.

    tcp_listen(host, port)            a TcpListener bound to host:port
    tcp_accept(listener)              the next connection, a TcpStream (waits for one)
    tcp_connect(host, port)           a TcpStream to host:port (10 s to connect)
    tcp_send(stream, text_or_bytes)   the number of bytes sent
    tcp_receive(stream, size)         up to `size` bytes: a string when they are UTF-8, else bytes; "" at end
    tcp_close(stream_or_listener)     true (the socket is closed)
    tcp_set_nonblocking(s, bool)      true; a non-blocking receive/accept with nothing there fails at once
    udp_bind(host, port)              a UdpSocket
    udp_send_to(socket, data, host, port)   the number of bytes sent
    udp_receive_from(socket, size)    {"data": string or bytes, "from": "ip:port", "size": int}
    udp_close(socket)                 true

Reads and writes time out after 30 s ("... timed out after 30000ms read/30000ms write timeout policy: ...").
Waiting is done in short slices so Ctrl+C still stops a program blocked in accept or receive.
Sizes are capped at 8 MiB; tcp_connect and udp_send_to obey the destination policy (_net.py).
"""

from __future__ import annotations

import socket
import time
from typing import Any, Callable

from ruff.runtime.values import OPAQUE_DISPLAY, RuffError
from ruff.runtime.builtins import _net
from ruff.runtime.builtins._util import Registry, rust_error_text

reg = Registry()

_SLICE_S = 0.25  # how long one blocking wait lasts before checking for Ctrl+C / the deadline


class _Socket:
    __slots__ = ("sock", "addr", "nonblocking")
    ruff_type_name = "socket"
    label = "Socket"
    addr_label = "addr"

    def __init__(self, sock: socket.socket, addr: str) -> None:
        self.sock = sock
        self.addr = addr
        self.nonblocking = False

    def ruff_display(self) -> str:
        return OPAQUE_DISPLAY

    def ruff_debug(self) -> str:
        return f"{self.label}({self.addr_label}: {self.addr})"


class TcpListener(_Socket):
    """A bound, listening TCP socket; `addr` is "host:port" as given."""

    __slots__ = ()
    ruff_type_name = "tcplistener"
    label = "TcpListener"


class TcpStream(_Socket):
    """A connected TCP socket; `addr` is the peer, "ip:port"."""

    __slots__ = ()
    ruff_type_name = "tcpstream"
    label = "TcpStream"
    addr_label = "peer"


class UdpSocket(_Socket):
    """A bound UDP socket; `addr` is "host:port" as given."""

    __slots__ = ()
    ruff_type_name = "udpsocket"
    label = "UdpSocket"


def _host_port(name: str, args: list, usage: str) -> tuple[str, int]:
    if len(args) != 2 or type(args[0]) is not str or type(args[1]) is not int:
        raise RuffError(f"{name} requires {usage} arguments")
    return args[0], args[1]


def _sockaddr(sa: tuple) -> str:
    """Rust's SocketAddr text: "1.2.3.4:80", "[::1]:80"."""
    host, port = sa[0], sa[1]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _resolve(host: str, port: int, kind: int) -> list:
    return socket.getaddrinfo(host, port, type=kind)


def _bind(host: str, port: int, kind: int) -> socket.socket:
    """Bind the first address that works; listening sockets reuse the address, as Rust's std does."""
    last: BaseException = OSError("no socket addresses resolved")
    for family, _, _, _, sa in _resolve(host, port, kind):
        sock = socket.socket(family, kind)
        try:
            if kind == socket.SOCK_STREAM:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(sa)
            if kind == socket.SOCK_STREAM:
                sock.listen(128)
            return sock
        except OSError as e:
            sock.close()
            last = e
    raise last


def _wait(s: _Socket, operation: str, action: Callable[[], Any], timeout_ms: int) -> Any:
    """Run a blocking socket action in slices until it succeeds, fails or runs out of time."""
    sock = s.sock
    if s.nonblocking:
        try:
            sock.setblocking(False)
            return action()
        except BlockingIOError as e:
            raise RuffError(_net.timed_out_text(operation, rust_error_text(e))) from None
        except OSError as e:
            raise RuffError(f"{operation}: {rust_error_text(e)}") from None
    deadline = None if timeout_ms is None else time.monotonic() + timeout_ms / 1000.0
    while True:
        try:
            sock.settimeout(_SLICE_S)
            return action()
        except socket.timeout:
            if deadline is not None and time.monotonic() >= deadline:
                raise RuffError(_net.timed_out_text(operation, "Resource temporarily unavailable (os error 11)")) from None
        except OSError as e:
            raise RuffError(f"{operation}: {rust_error_text(e)}") from None


def _data(v: Any) -> bytes:
    return v.encode("utf-8") if type(v) is str else bytes(v)


def _text_or_bytes(data: bytes) -> Any:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


# ----------------------------------------------------------------------------- TCP


@reg("tcp_listen")
def tcp_listen(rt: Any, args: list) -> TcpListener:
    host, port = _host_port("tcp_listen", args, "(string_host, int_port)")
    address = f"{host}:{port}"
    try:
        sock = _bind(host, port, socket.SOCK_STREAM)
    except (OSError, OverflowError) as e:
        raise RuffError(f"Failed to bind TCP listener on '{address}': {rust_error_text(e)}") from None
    return TcpListener(sock, address)


@reg("tcp_accept", waits=True)
def tcp_accept(rt: Any, args: list) -> TcpStream:
    if len(args) != 1 or type(args[0]) is not TcpListener:
        raise RuffError("tcp_accept requires a TcpListener argument")
    listener = args[0]
    conn, peer = _wait(listener, "Failed to accept connection", listener.sock.accept, None)
    conn.settimeout(None)
    return TcpStream(conn, _sockaddr(peer))


@reg("tcp_connect", waits=True)
def tcp_connect(rt: Any, args: list) -> TcpStream:
    host, port = _host_port("tcp_connect", args, "(string_host, int_port)")
    _net.check_host_port(host, port, "tcp_connect")
    address = f"{host}:{port}"
    try:
        candidates = _resolve(host, port, socket.SOCK_STREAM)
    except OSError as e:
        raise RuffError(f"tcp_connect failed to resolve '{address}': {rust_error_text(e)}") from None
    last: BaseException = OSError("no address")
    for family, kind, proto, _, sa in candidates:
        sock = socket.socket(family, kind, proto)
        sock.settimeout(_net.CONNECT_TIMEOUT_MS / 1000.0)
        try:
            sock.connect(sa)
        except OSError as e:
            sock.close()
            last = e
            continue
        sock.settimeout(None)
        return TcpStream(sock, address)
    if isinstance(last, socket.timeout):
        last = TimeoutError(110, "Connection timed out")
    raise RuffError(f"tcp_connect failed to connect to '{address}': {rust_error_text(last)}")


@reg("tcp_send", waits=True)
def tcp_send(rt: Any, args: list) -> int:
    if len(args) != 2 or type(args[0]) is not TcpStream or type(args[1]) not in (str, bytes, bytearray):
        raise RuffError("tcp_send requires (TcpStream, string_or_bytes_data) arguments")
    stream, data = args[0], memoryview(_data(args[1]))
    sent = 0
    while sent < len(data):  # send() in slices: a timed-out sendall() could not say how much went out
        sent += _wait(stream, "Failed to send data over TCP", lambda: stream.sock.send(data[sent:]),
                      _net.WRITE_TIMEOUT_MS)
    return len(data)


@reg("tcp_receive", waits=True)
def tcp_receive(rt: Any, args: list) -> Any:
    if len(args) != 2 or type(args[0]) is not TcpStream or type(args[1]) is not int:
        raise RuffError("tcp_receive requires (TcpStream, int_size) arguments")
    stream = args[0]
    size = _net.receive_size(args[1], "tcp_receive")
    data = _wait(stream, "Failed to receive data from TCP", lambda: stream.sock.recv(size), _net.READ_TIMEOUT_MS)
    return _text_or_bytes(data)


@reg("tcp_close")
def tcp_close(rt: Any, args: list) -> bool:
    if len(args) != 1 or type(args[0]) not in (TcpStream, TcpListener):
        raise RuffError("tcp_close requires a TcpStream or TcpListener argument")
    _close(args[0])
    return True


def _close(s: _Socket) -> None:
    try:
        if type(s) is TcpStream:
            s.sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # the peer already went away
    s.sock.close()


@reg("tcp_set_nonblocking")
def tcp_set_nonblocking(rt: Any, args: list) -> bool:
    if len(args) != 2 or type(args[0]) not in (TcpStream, TcpListener) or type(args[1]) is not bool:
        raise RuffError("tcp_set_nonblocking requires (TcpStream/TcpListener, bool) arguments")
    s, flag = args
    what = "stream" if type(s) is TcpStream else "listener"
    try:
        s.sock.setblocking(not flag)
    except OSError as e:
        raise RuffError(f"Failed to set TCP {what} non-blocking mode: {rust_error_text(e)}") from None
    s.nonblocking = flag
    return True


# ----------------------------------------------------------------------------- UDP


@reg("udp_bind")
def udp_bind(rt: Any, args: list) -> UdpSocket:
    host, port = _host_port("udp_bind", args, "(string_host, int_port)")
    address = f"{host}:{port}"
    try:
        sock = _bind(host, port, socket.SOCK_DGRAM)
    except (OSError, OverflowError) as e:
        raise RuffError(f"Failed to bind UDP socket on '{address}': {rust_error_text(e)}") from None
    return UdpSocket(sock, address)


@reg("udp_send_to", waits=True)
def udp_send_to(rt: Any, args: list) -> int:
    if (len(args) != 4 or type(args[0]) is not UdpSocket or type(args[1]) not in (str, bytes, bytearray)
            or type(args[2]) is not str or type(args[3]) is not int):
        raise RuffError("udp_send_to requires (UdpSocket, string_or_bytes_data, string_host, int_port) arguments")
    s, data, host, port = args[0], _data(args[1]), args[2], args[3]
    _net.check_host_port(host, port, "udp_send_to")
    address = f"{host}:{port}"
    operation = f"Failed to send UDP datagram to '{address}'"
    try:
        family = s.sock.family
        target = next(sa for fam, _, _, _, sa in _resolve(host, port, socket.SOCK_DGRAM) if fam == family)
    except (OSError, StopIteration) as e:
        raise RuffError(f"{operation}: {rust_error_text(e) if isinstance(e, OSError) else 'no usable address'}") from None
    return _wait(s, operation, lambda: s.sock.sendto(data, target), _net.WRITE_TIMEOUT_MS)


@reg("udp_receive_from", waits=True)
def udp_receive_from(rt: Any, args: list) -> dict:
    if len(args) != 2 or type(args[0]) is not UdpSocket or type(args[1]) is not int:
        raise RuffError("udp_receive_from requires (UdpSocket, int_size) arguments")
    s = args[0]
    size = _net.receive_size(args[1], "udp_receive_from")
    data, sender = _wait(s, "Failed to receive UDP datagram", lambda: s.sock.recvfrom(size), _net.READ_TIMEOUT_MS)
    return {"data": _text_or_bytes(data), "from": _sockaddr(sender), "size": len(data)}


@reg("udp_close")
def udp_close(rt: Any, args: list) -> bool:
    if len(args) != 1 or type(args[0]) is not UdpSocket:
        raise RuffError("udp_close requires a UdpSocket argument")
    _close(args[0])
    return True


def _install_methods() -> None:
    import ruff.runtime.builtins as B

    for cls in (TcpListener, TcpStream, UdpSocket):
        cls.ruff_methods = dict(B._ANY_TABLE)  # type: ignore[attr-defined]


_install_methods()
