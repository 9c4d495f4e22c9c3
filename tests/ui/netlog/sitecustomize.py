"""Logs every outbound connection attempt of the process (loaded via PYTHONPATH in tests).

NETLOG_FILE names the log; each line is "<call> <host> <port>".
"""

import os
import socket

_LOG = os.environ.get("NETLOG_FILE")


def _record(call, host, port):
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as f:
            f.write(f"{call} {host} {port}\n")


def _target(address):
    if isinstance(address, tuple) and len(address) >= 2:
        return address[0], address[1]
    return address, ""


if _LOG:
    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex
    _getaddrinfo = socket.getaddrinfo
    _create_connection = socket.create_connection
    _gethostbyname = socket.gethostbyname

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _record("connect", *_target(address))
        return _connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            _record("connect_ex", *_target(address))
        return _connect_ex(self, address)

    def getaddrinfo(host, port, *args, **kwargs):
        _record("getaddrinfo", host, port)
        return _getaddrinfo(host, port, *args, **kwargs)

    def create_connection(address, *args, **kwargs):
        _record("create_connection", *_target(address))
        return _create_connection(address, *args, **kwargs)

    def gethostbyname(host):
        _record("gethostbyname", host, "")
        return _gethostbyname(host)

    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex
    socket.getaddrinfo = getaddrinfo
    socket.create_connection = create_connection
    socket.gethostbyname = gethostbyname
