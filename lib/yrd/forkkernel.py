"""Warm notebook kernels: IPython kernels forked from one process that has already imported the
book's libraries.

Why: every notebook runs in a fresh kernel, and a fresh Python kernel spends about 2 s of CPU on
imports (ipykernel, pandas, matplotlib, yrd) before its first cell does any work. With 13
notebooks that is about a third of the cold build on two cores (``make bench``). A *fork server*
pays the imports once: it imports them, then forks one child per kernel; each child is a new,
independent kernel process whose imports are already in memory (copy-on-write). Importing a
module the server preloaded is then a dictionary lookup. The same idea runs Sage cells and
"pre-warmed" code interpreters; no installable library does it for ``nbclient``, hence this module.

How it fits Jupyter: :class:`ForkKernelManager` is an ordinary ``jupyter_client`` kernel manager
whose launch command, instead of ``python -m ipykernel_launcher -f <connection file>``, is a small
stdlib-only *stub* (``python -S _forkstub.py <socket> -f <connection file>``). The stub hands the
server its arguments, working directory, environment and standard streams; the server forks the
kernel; the stub then stands in for the kernel process: it forwards signals (interrupt, terminate)
and exits with the kernel's exit code. ``jupyter_client`` manages the stub exactly as it would a
kernel, and the kernel talks ZeroMQ on the connection file's ports as usual. If the stub is killed
outright, the server kills its kernel.

What a forked kernel sees differently from a fresh one: the preloaded modules are already imported
(their import-time side effects, e.g. warnings, happened once in the server, not in the notebook),
and ``PYTHONHASHSEED`` is the server's for every kernel. Everything a notebook does after its
imports runs as in a fresh kernel. ``tests/test_forkkernel.py`` executes the same notebook both
ways and compares the outputs. Unix only (``os.fork``, descriptor passing); elsewhere, and with
``YRD_FORK_KERNELS=0``, :mod:`yrd.execute` uses fresh kernels.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import runpy
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import Unicode

#: Modules the server imports before forking: what the book's notebooks import, and what a kernel
#: imports to start. ``matplotlib.pyplot`` does not choose its backend at import, so the inline
#: backend is still set up by each kernel when the notebook first draws.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "IPython.display",
    "numpy",
    "pandas",
    "matplotlib.pyplot",
    "myst_nb",
    *(
        f"yrd.{name}"  # those at least two notebooks import (one notebook's would gain nothing)
        for name in (
            "audit compare dist geo maps moran pages panel plots published regress results "
            "spatial spatial_results tables weights"
        ).split()
    ),
)

#: The stub each kernel launch runs (stdlib only, so ``python -S`` starts it in milliseconds).
STUB = Path(__file__).with_name("_forkstub.py")

#: Environment variable through which :func:`yrd.execute` hands worker processes the socket.
SOCKET_ENV = "YRD_FORK_SOCKET"

#: Set to 0 to make :mod:`yrd.execute` start fresh kernels instead.
DISABLE_ENV = "YRD_FORK_KERNELS"

_MAX_MESSAGE = 1 << 20


class ForkServerError(RuntimeError):
    """The fork server could not be started or reached."""


def _recv_json(conn: socket.socket, maxfds: int = 0) -> tuple[dict, list[int]]:
    """One newline-terminated JSON message (and up to ``maxfds`` passed descriptors)."""
    data, fds = b"", []
    while not data.endswith(b"\n"):
        chunk, new_fds, _, _ = socket.recv_fds(conn, 65536, maxfds)
        fds += new_fds
        if not chunk:
            raise ConnectionError("peer closed the connection")
        data += chunk
        if len(data) > _MAX_MESSAGE:
            raise ConnectionError("message too long")
    return json.loads(data), fds


def _run_kernel(request: dict, fds: list[int]) -> int:
    """In the forked child: become the kernel the stub asked for (never returns to the server)."""
    for target, fd in enumerate(fds[:3]):  # the stub's stdin, stdout, stderr
        os.dup2(fd, target)
    for fd in fds:
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
        signal.signal(sig, signal.SIG_DFL)
    sys.argv = ["ipykernel_launcher", *request["args"]]
    # ipykernel reads JPY_PARENT_PID into a class default when it is imported, which happened in
    # the server (without it); give it on the command line instead, as the launcher's env would
    if os.environ.get("JPY_PARENT_PID", "").isdigit():
        sys.argv.append(f"--IPKernelApp.parent_handle={os.environ['JPY_PARENT_PID']}")
    try:  # exactly `python -m ipykernel_launcher`: sys.argv[0], __main__ and all
        runpy.run_module("ipykernel_launcher", run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return 0


class _KernelShell:
    """What ``get_ipython()`` returns inside a kernel, as far as import-time checks look."""

    kernel = "preloaded by yrd.forkkernel"


def _preload(modules: tuple[str, ...]) -> None:
    """Import ``modules`` as a kernel would: some libraries look at their host when imported.

    pandas, for one, sets ``display.max_columns`` to 20 under a Jupyter kernel but to 0 (fit the
    terminal) elsewhere, deciding by whether ``get_ipython()`` has a ``kernel``. So during the
    imports ``get_ipython`` answers like a kernel's shell, and ``MPLBACKEND`` is what ipykernel
    sets. A module that fails to import is reported and skipped (the notebook imports it itself).
    """
    import builtins

    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    builtins.get_ipython = _KernelShell  # type: ignore[attr-defined]
    stdout = sys.stdout
    # ipykernel's streams declare "UTF-8"; pandas copies stdout's encoding into display.encoding
    sys.stdout = io.TextIOWrapper(io.BytesIO(), encoding="UTF-8")
    try:
        for name in modules:
            try:
                importlib.import_module(name)
            except Exception as exc:  # noqa: BLE001 - any import error only costs the speed-up
                print(f"yrd fork server: not preloaded: {name}: {exc!r}", file=sys.stderr)
    finally:
        del builtins.get_ipython
        sys.stdout = stdout


#: Threads known to survive a fork: pyarrow's jemalloc purges in a background thread and, in a
#: forked child, its fork handler switches to purging inline (jemalloc ``background_thread.c``).
_FORK_SAFE_THREADS = frozenset({"jemalloc_bg_thd"})


def _other_threads() -> list[str]:
    """Names of this process's threads besides the calling one, known fork-safe ones excepted."""
    tasks = Path("/proc/self/task")
    if not tasks.is_dir():
        return []
    names = []
    for task in tasks.iterdir():
        if int(task.name) == threading.get_native_id():
            continue
        with contextlib.suppress(OSError):
            names.append((task / "comm").read_text().strip())
    return sorted(n for n in names if n not in _FORK_SAFE_THREADS)


def serve(path: str, preload: tuple[str, ...] = PRELOAD) -> None:
    """Run the fork server on the Unix socket ``path`` until stdin closes (``python -m``).

    One thread only (forking a multi-threaded process can copy held locks): a selector waits on
    the listening socket, on each stub's connection (closed = the stub died: kill its kernel), on a
    ``pidfd`` per kernel (readable = the kernel exited: tell its stub the exit code) and on stdin
    (closed = the owner is done: stop).
    """
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    print("listening", flush=True)  # the owner waits for this line; stubs queue until we accept
    os.dup2(2, 1)  # nobody reads our stdout after that line: anything printed goes to stderr
    kernels: dict[int, tuple[socket.socket, int]] = {}  # pid -> (stub connection, pidfd)

    def stop(signum, frame):  # the owner gave up waiting: take the kernels down with us
        for pid in kernels:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        os._exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    _preload(preload)
    threads = _other_threads()
    if threads:  # a child gets only the forking thread; e.g. a BLAS pool would be left behind
        print(
            f"yrd fork server: the preloaded modules started threads ({', '.join(threads)}); "
            "forked kernels do not get them (set OPENBLAS_NUM_THREADS=1, as `make` does)",
            file=sys.stderr,
        )
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, ("accept", None))
    sel.register(sys.stdin, selectors.EVENT_READ, ("stdin", None))
    running = True
    while running or kernels:
        for key, _ in sel.select(timeout=None if running else 5.0):
            kind, pid = key.data
            if kind == "accept":
                conn, _ = listener.accept()
                try:
                    request, fds = _recv_json(conn, maxfds=3)
                except (ConnectionError, ValueError):
                    conn.close()
                    continue
                child = os.fork()
                if child == 0:  # the kernel
                    for other, other_pidfd in kernels.values():  # other kernels' handles
                        other.close()
                        os.close(other_pidfd)
                    listener.close()
                    conn.close()
                    sel.close()
                    code = 1
                    try:
                        code = _run_kernel(request, fds)
                    finally:
                        sys.stdout.flush()
                        sys.stderr.flush()
                        os._exit(code)
                for fd in fds:
                    os.close(fd)
                pidfd = os.pidfd_open(child)
                conn.sendall(json.dumps({"pid": child}).encode() + b"\n")
                kernels[child] = (conn, pidfd)
                sel.register(conn, selectors.EVENT_READ, ("stub", child))
                sel.register(pidfd, selectors.EVENT_READ, ("exit", child))
            elif kind == "stub":
                conn = kernels[pid][0]
                try:
                    closed = not conn.recv(4096)
                except OSError:
                    closed = True
                if closed:  # the stub died before its kernel: kill the kernel
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                    sel.unregister(conn)
            elif kind == "exit":
                conn, pidfd = kernels.pop(pid)
                _, status = os.waitpid(pid, 0)
                sel.unregister(pidfd)
                os.close(pidfd)
                with contextlib.suppress(KeyError):
                    sel.unregister(conn)
                with contextlib.suppress(OSError):
                    conn.sendall(
                        json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode() + b"\n"
                    )
                conn.close()
            elif kind == "stdin":
                if not os.read(sys.stdin.fileno(), 4096):
                    running = False
                    sel.unregister(sys.stdin)
                    sel.unregister(listener)
                    listener.close()
    sel.close()


class ForkServer:
    """Start a fork server in a subprocess; a context manager that stops it on exit.

    >>> with ForkServer() as server:          # doctest: +SKIP
    ...     os.environ[SOCKET_ENV] = server.socket_path
    ...     # nbclient.NotebookClient(nb, kernel_manager_class=ForkKernelManager).execute()
    """

    def __init__(self, preload: tuple[str, ...] = PRELOAD, timeout: float = 30.0):
        self.preload = tuple(preload)
        self.timeout = timeout
        self._dir: tempfile.TemporaryDirectory | None = None
        self._proc: subprocess.Popen | None = None
        self.socket_path = ""

    def __enter__(self) -> ForkServer:
        if not supported():
            raise ForkServerError("fork kernels need os.fork, os.pidfd_open and Unix sockets")
        self._dir = tempfile.TemporaryDirectory(prefix="yrd-fork-")
        self.socket_path = os.path.join(self._dir.name, "server.sock")
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "yrd.forkkernel", self.socket_path, *self.preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self._proc.stdout.readline()  # the socket exists (kernels queue while it preloads)
        if line.strip() != "listening":
            self.__exit__(None, None, None)
            raise ForkServerError(
                "the fork server did not start (its error is printed above); "
                f"set {DISABLE_ENV}=0 to use fresh kernels"
            )
        return self

    @property
    def pid(self) -> int:
        """The server's process id (every forked kernel's parent)."""
        return self._proc.pid if self._proc is not None else 0

    def __exit__(self, *exc) -> None:
        if self._proc is not None:
            with contextlib.suppress(OSError):
                self._proc.stdin.close()  # the server stops when its last kernel has exited
            try:
                self._proc.wait(timeout=self.timeout)
            except subprocess.TimeoutExpired:  # a kernel is still running: the server kills it
                self._proc.terminate()
                try:
                    self._proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait()
            self._proc.stdout.close()
            self._proc = None
        if self._dir is not None:
            self._dir.cleanup()
            self._dir = None


def supported() -> bool:
    """Whether this platform can fork kernels: ``os.fork``, Unix sockets and a working
    ``os.pidfd_open`` (Linux >= 5.3; a sandbox may still refuse the call, so it is tried)."""
    if not (hasattr(os, "fork") and hasattr(os, "pidfd_open") and hasattr(socket, "AF_UNIX")):
        return False
    try:
        os.close(os.pidfd_open(os.getpid()))
    except OSError:
        return False
    return True


def enabled() -> bool:
    """Whether :mod:`yrd.execute` should fork kernels: supported here and not switched off."""
    return supported() and os.environ.get(DISABLE_ENV, "1").strip() != "0"


class ForkKernelManager(AsyncKernelManager):
    """A kernel manager that starts IPython kernels through a :class:`ForkServer`.

    The server's socket is ``socket_path`` or, if empty, the ``YRD_FORK_SOCKET`` environment
    variable. Kernels that are not ``python -m ipykernel_launcher`` (another language, a custom
    kernel spec) are started the usual way.
    """

    socket_path = Unicode("", help="Unix socket of the fork server").tag(config=True)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        return stub_command(cmd, self.socket_path or os.environ.get(SOCKET_ENV, ""))


def stub_command(cmd: list[str], socket_path: str) -> list[str]:
    """The launch command through the fork server for ``python -m ipykernel_launcher <args>``.

    Any other command, or no ``socket_path``, is returned unchanged. The stub runs on this
    interpreter with ``-S -E`` (no site-packages, no ``PYTHON*`` variables): it needs only the
    standard library, so it starts in milliseconds.
    """
    if not socket_path or cmd[1:3] != ["-m", "ipykernel_launcher"]:
        return list(cmd)
    return [sys.executable, "-S", "-E", str(STUB), socket_path, *cmd[3:]]


def wait_gone(pid: int, timeout: float = 10.0) -> bool:
    """Whether process ``pid`` has ended within ``timeout`` seconds (for tests)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


if __name__ == "__main__":
    # `python -m` put the owner's working directory first on sys.path; a kernel would not have it
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    serve(sys.argv[1], tuple(sys.argv[2:]) or PRELOAD)
