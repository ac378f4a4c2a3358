"""Stand-in for one forked kernel process (see :mod:`yrd.forkkernel`); standard library only.

Usage: ``python -S -E _forkstub.py <server socket> <kernel arguments...>``. Sends the fork server
the kernel's arguments, this process's working directory, environment and standard streams; then
forwards the signals ``jupyter_client`` sends (interrupt, terminate) to the kernel and exits with
its exit code. Exit code 70 means the server could not be reached or went away (stderr says which)
or this process's parent died (the server then kills the kernel, as a fresh kernel would stop).
"""

import json
import os
import signal
import socket
import sys

LOST = 70


def main(argv):
    path, args = argv[0], argv[1:]
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
    except OSError as exc:
        print(f"yrd fork kernel: cannot reach the fork server at {path}: {exc}", file=sys.stderr)
        return LOST
    request = {"args": args, "cwd": os.getcwd(), "env": dict(os.environ)}
    socket.send_fds(conn, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
    parent, pid, buffer = os.getppid(), None, b""

    def forward(signum, frame):
        if pid is not None:
            try:
                os.kill(pid, signum)
            except ProcessLookupError:
                pass

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1):
        signal.signal(sig, forward)
    conn.settimeout(1.0)
    # the server sends two lines: {"pid": ...} once the kernel is forked, {"exit": ...} when it ends
    while True:
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            message = json.loads(line)
            if "exit" in message:
                return message["exit"]
            pid = message["pid"]
        try:
            chunk = conn.recv(4096)
        except TimeoutError:
            if os.getppid() != parent:  # our client died: closing the socket stops the kernel
                return LOST
            continue
        if not chunk:
            print("yrd fork kernel: the fork server closed the connection", file=sys.stderr)
            return LOST
        buffer += chunk


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
