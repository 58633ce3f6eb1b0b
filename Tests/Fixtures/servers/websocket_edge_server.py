#!/usr/bin/env python3
"""A deliberately misbehaving WebSocket server for transport tests (python3 standard library only).

It binds 127.0.0.1 on an ephemeral port, prints "PORT <n>" on stdout, then serves each connection according to
its path. Observations the test needs are printed as "EVENT <text>" lines on stdout.

  /no-upgrade     reads the upgrade request, prints "EVENT UPGRADE REQUESTED" and never answers
  /reject?status=N answers the upgrade request with HTTP status N instead of 101
  /drop           sends "about to drop", then closes TCP without a close frame
  /silent         sends "silent", then never answers anything (no pongs, no close reply)
  /count-pings?n=N answers pings with pongs; after N pings sends "received N pings"
  /server-ping    sends a ping "are-you-there"; after the matching pong sends "pong:are-you-there"
  /close-report   echoes text; on a close frame prints "EVENT CLOSE <code> <reason>" and answers the close
  /fragments      sends the text "alpha-beta-gamma" as three frames and the bytes 01 02 03 04 as two frames;
                  reports the close frame like /close-report
"""

import base64
import hashlib
import socket
import socketserver
import struct
import sys
import threading
import urllib.parse

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
print_lock = threading.Lock()


def emit(line):
    with print_lock:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def read_exact(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("peer closed")
        data += chunk
    return data


def read_frame(sock):
    """Returns (fin, opcode, payload) of one client frame (unmasked)."""
    first, second = read_exact(sock, 2)
    fin = bool(first & 0x80)
    opcode = first & 0x0F
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", read_exact(sock, 2))
    elif length == 127:
        (length,) = struct.unpack("!Q", read_exact(sock, 8))
    mask = read_exact(sock, 4) if second & 0x80 else b"\x00\x00\x00\x00"
    payload = bytes(b ^ mask[i % 4] for i, b in enumerate(read_exact(sock, length)))
    return fin, opcode, payload


def frame(opcode, payload=b"", fin=True):
    header = bytes([(0x80 if fin else 0) | opcode])
    length = len(payload)
    if length < 126:
        header += bytes([length])
    elif length < 65536:
        header += bytes([126]) + struct.pack("!H", length)
    else:
        header += bytes([127]) + struct.pack("!Q", length)
    return header + payload


def text(message):
    return frame(0x1, message.encode("utf-8"))


class Handler(socketserver.BaseRequestHandler):
    def handshake(self):
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = self.request.recv(4096)
            if not chunk:
                raise ConnectionError("closed during handshake")
            request += chunk
        lines = request.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        path = lines[0].split(" ")[1]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        url = urllib.parse.urlparse(path)
        if url.path == "/no-upgrade":
            emit("EVENT UPGRADE REQUESTED")
            while self.request.recv(4096):
                pass
            raise ConnectionError("client gave up")
        if url.path == "/reject":
            status = int(urllib.parse.parse_qs(url.query).get("status", ["403"])[0])
            self.request.sendall(b"HTTP/1.1 %d Rejected\r\nContent-Length: 0\r\nConnection: close\r\n\r\n" % status)
            raise ConnectionError("upgrade rejected")
        accept = base64.b64encode(hashlib.sha1((headers["sec-websocket-key"] + GUID).encode()).digest()).decode()
        self.request.sendall(
            (
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Accept: %s\r\n\r\n" % accept
            ).encode()
        )
        return url

    def handle(self):
        try:
            url = self.handshake()
            scenario = getattr(self, "scenario_" + url.path.strip("/").replace("-", "_"))
            scenario(urllib.parse.parse_qs(url.query))
        except (ConnectionError, OSError):
            pass

    def scenario_drop(self, query):
        self.request.sendall(text("about to drop"))
        self.request.shutdown(socket.SHUT_RDWR)
        self.request.close()

    def scenario_silent(self, query):
        self.request.sendall(text("silent"))
        while True:
            read_frame(self.request)

    def scenario_count_pings(self, query):
        wanted = int(query.get("n", ["3"])[0])
        seen = 0
        while True:
            _, opcode, payload = read_frame(self.request)
            if opcode == 0x9:
                self.request.sendall(frame(0xA, payload))
                seen += 1
                if seen == wanted:
                    self.request.sendall(text("received %d pings" % wanted))
            elif opcode == 0x8:
                self.request.sendall(frame(0x8, payload[:2]))
                return

    def scenario_server_ping(self, query):
        self.request.sendall(frame(0x9, b"are-you-there"))
        while True:
            _, opcode, payload = read_frame(self.request)
            if opcode == 0xA:
                self.request.sendall(text("pong:" + payload.decode()))
            elif opcode == 0x8:
                self.request.sendall(frame(0x8, payload[:2]))
                return

    def scenario_close_report(self, query):
        while True:
            _, opcode, payload = read_frame(self.request)
            if opcode == 0x1:
                self.request.sendall(frame(0x1, payload))
            elif opcode == 0x9:
                self.request.sendall(frame(0xA, payload))
            elif opcode == 0x8:
                self.report_close(payload)
                return

    def scenario_fragments(self, query):
        self.request.sendall(
            frame(0x1, b"alpha-", fin=False) + frame(0x0, b"beta-", fin=False) + frame(0x0, b"gamma", fin=True)
        )
        self.request.sendall(frame(0x2, b"\x01\x02", fin=False) + frame(0x0, b"\x03\x04", fin=True))
        while True:
            _, opcode, payload = read_frame(self.request)
            if opcode == 0x8:
                self.report_close(payload)
                return

    def report_close(self, payload):
        code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 0
        emit("EVENT CLOSE %d %s" % (code, payload[2:].decode("utf-8")))
        self.request.sendall(frame(0x8, payload[:2]))


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


if __name__ == "__main__":
    server = Server(("127.0.0.1", 0), Handler)
    emit("PORT %d" % server.server_address[1])
    # Exit when the test process closes our stdin (or dies).
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()
    server.shutdown()
