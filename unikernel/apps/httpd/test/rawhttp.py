#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""rawhttp.py: send exact bytes to an HTTP server and report its answers.

  rawhttp.py HOST PORT [--file F... | --data TEXT] [--half-close]
             [--byte-every MS] [--no-read S] [--no-body] [--raw] [--wait S]

Sends the bytes of F or of TEXT (Python escapes such as \\r\\n are
decoded), then reads until the server closes the connection or --wait
seconds (default 10) pass without a byte. --file may be repeated: each
file then goes over a connection of its own, one after the other (one
process for a whole corpus: starting Python costs more than the
exchange), its output after a line "== F". --half-close shuts the write
side after sending, like a client with nothing more to say.
--byte-every MS sends one byte every MS milliseconds instead, stopping
when the server closes or answers: the slow client a server must cut off.
--no-read S waits S seconds after sending before reading anything: the
client that does not read its answer.

Output, one line per answer, in order: "STATUS CONTENT-LENGTH CONNECTION"
(CONNECTION is the Connection header's value, "-" if none); then "EOF"
if the server closed the connection, "OPEN" if it was still open after
--wait; with --byte-every, "sent N of M" last. --no-body: the answers
have a Content-Length but no body (answers to HEAD; implied when the
bytes sent start with "HEAD "). --raw prints the
bytes received instead of answer lines. Exit status 0, or 2 on a bad argument or a refused
connection.
"""
import argparse
import codecs
import socket
import sys
import time


def parse_answers(data, no_body):
    """(status, length, connection) of each whole answer in data, and the
    bytes after the last one."""
    out = []
    while data:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            break
        head = data[:end].decode("latin-1").split("\r\n")
        fields = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            fields[name.strip().lower()] = value.strip()
        length = int(fields.get("content-length", "0"))
        body = 0 if no_body else length
        if len(data) < end + 4 + body:
            break
        status = head[0].split(" ")[1] if " " in head[0] else "?"
        out.append((status, length, fields.get("connection", "-")))
        data = data[end + 4 + body:]
    return out, data


def read_until_close(sock, wait, raw, no_body):
    """Print answers as they arrive (each line flushed, so a test can
    watch a client that is still connected); True if the server closed."""
    rest = b""
    sock.settimeout(wait)
    while True:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True
        if not chunk:
            return True
        if raw:
            sys.stdout.buffer.write(chunk)
        else:
            answers, rest = parse_answers(rest + chunk, no_body)
            for status, length, conn in answers:
                print("%s %d %s" % (status, length, conn))
        sys.stdout.flush()


def send_slowly(sock, data, every_ms):
    """One byte per tick until done or the server answers or closes."""
    sent = 0
    sock.settimeout(every_ms / 1000.0)
    for i in range(len(data)):
        try:
            sock.sendall(data[i:i + 1])
        except (BrokenPipeError, ConnectionResetError):
            break
        sent += 1
        try:
            sock.recv(1, socket.MSG_PEEK)
            break  # an answer, or EOF
        except socket.timeout:
            continue
        except ConnectionResetError:
            break
    return sent


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("--file", action="append")
    ap.add_argument("--data")
    ap.add_argument("--half-close", action="store_true")
    ap.add_argument("--byte-every", type=int, metavar="MS")
    ap.add_argument("--no-read", type=float, metavar="S")
    ap.add_argument("--no-body", action="store_true")
    ap.add_argument("--raw", action="store_true")
    ap.add_argument("--wait", type=float, default=10.0)
    a = ap.parse_args()
    if (a.file is None) == (a.data is None):
        ap.error("give one of --file and --data")
    if a.data is not None:
        return exchange(a, codecs.escape_decode(a.data.encode())[0])
    status = 0
    for path in a.file:
        with open(path, "rb") as f:
            data = f.read()
        if len(a.file) > 1:
            print("== %s" % path)
            sys.stdout.flush()  # before --raw writes the bytes
        status = max(status, exchange(a, data))
    return status


def exchange(a, data):
    """One connection: send data as the options say, print the answers."""
    try:
        sock = socket.create_connection((a.host, a.port), timeout=a.wait)
    except OSError as e:
        print("rawhttp: connect %s:%d: %s" % (a.host, a.port, e),
              file=sys.stderr)
        return 2
    sent = None
    if a.byte_every:
        sent = send_slowly(sock, data, a.byte_every)
    else:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed early: read it
    if a.half_close:
        try:
            sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass
    if a.no_read:
        time.sleep(a.no_read)
    closed = read_until_close(sock, a.wait, a.raw,
                              a.no_body or data.startswith(b"HEAD "))
    sock.close()
    print("EOF" if closed else "OPEN")
    if sent is not None:
        print("sent %d of %d" % (sent, len(data)))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
