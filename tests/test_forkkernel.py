"""Forked kernels (yrd.forkkernel) behave like fresh ones: same outputs, signals, clean-up."""

from __future__ import annotations

import asyncio
import copy
import os
import signal
import subprocess
import sys

import nbclient
import nbformat
import pytest

from yrd import forkkernel
from yrd.forkkernel import ForkKernelManager, ForkServer, stub_command

pytestmark = pytest.mark.skipif(not forkkernel.supported(), reason="needs os.fork and pidfd_open")

# what could differ between a kernel forked from a preloaded process and a fresh one
PROBE = [
    "import os, sys\nprint(os.getcwd() == os.environ['PROBE_DIR'], os.environ.get('PROBE_VAR'))",
    # pandas decides display.max_columns at import by whether it runs in a kernel
    "import pandas as pd\npd.DataFrame({f'column_{i}': range(3) for i in range(30)})",
    "print(pd.describe_option('display', _print_desc=False))",
    "import matplotlib\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(2, 2))\n"
    "ax.plot([0, 1], [1, 0]);",
    "print(matplotlib.get_backend(), matplotlib.is_interactive())",
    "print('to stderr', file=sys.stderr)\nos.system('echo from a subprocess')",
    "sys.path, sys.argv[0], getattr(sys.modules['__main__'], '__file__', None)",
    "from IPython.display import Markdown\nMarkdown('**bold**')",
    "1 / 0",
]


def _notebook():
    cells = [*PROBE, "print(os.getppid())"]  # not compared: tells where the kernel came from
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in cells])
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    return nb


def _outputs(nb):
    return [
        [{k: v for k, v in out.items() if k != "execution_count"} for out in cell.outputs]
        for cell in nb.cells
    ]


@pytest.fixture(scope="module")
def server():
    with ForkServer() as srv:
        yield srv


def test_forked_kernel_gives_the_same_outputs_as_a_fresh_one(server, tmp_path, monkeypatch):
    monkeypatch.setenv("PROBE_DIR", str(tmp_path))
    monkeypatch.setenv("PROBE_VAR", "from the client's environment")
    fresh, forked = _notebook(), _notebook()
    resources = {"metadata": {"path": str(tmp_path)}}
    nbclient.NotebookClient(fresh, resources=resources, allow_errors=True).execute()
    monkeypatch.setenv(forkkernel.SOCKET_ENV, server.socket_path)  # as yrd.execute does
    nbclient.NotebookClient(
        forked,
        resources=copy.deepcopy(resources),
        allow_errors=True,
        kernel_manager_class=ForkKernelManager,
    ).execute()
    parents = [int(nb.cells.pop()["outputs"][0]["text"]) for nb in (forked, fresh)]
    assert parents[0] == server.pid, "the forked notebook ran in a child of the server"
    assert parents[1] != server.pid
    got, want = _outputs(forked), _outputs(fresh)
    assert "True from the client's environment" in want[0][0]["text"]
    assert "image/png" in want[3][-1]["data"], "the fresh kernel draws inline"
    assert want[8][0]["ename"] == "ZeroDivisionError"
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        assert g == w, f"cell {i} ({PROBE[i].splitlines()[0]!r}) differs"


def _run(coro):
    return asyncio.new_event_loop().run_until_complete(coro)


async def _started(socket_path):
    """A forked kernel, ready: (manager, client, the kernel's own pid)."""
    km = ForkKernelManager(socket_path=socket_path)
    await km.start_kernel()
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=60)
    seen = []
    await kc.execute_interactive(
        "import os; print(os.getpid())", output_hook=seen.append, timeout=60
    )
    kernel = int(next(m for m in seen if m["msg_type"] == "stream")["content"]["text"])
    return km, kc, kernel


def test_interrupt_reaches_the_forked_kernel_and_shutdown_ends_it(server):
    async def scenario():
        km, kc, kernel = await _started(server.socket_path)
        stub = km.provisioner.process.pid
        assert kernel != stub, "the kernel is the server's child, not the stub"
        msg_id = kc.execute("import time; time.sleep(60)")
        await asyncio.sleep(1.0)
        await km.interrupt_kernel()
        reply = await kc.get_shell_msg(timeout=20)
        assert reply["parent_header"]["msg_id"] == msg_id
        assert reply["content"]["status"] == "error"
        assert reply["content"]["ename"] == "KeyboardInterrupt"
        kc.stop_channels()
        await km.shutdown_kernel(now=False)
        return kernel

    kernel = _run(scenario())
    assert forkkernel.wait_gone(kernel), "the kernel ended with its shutdown"


def test_killing_the_stub_kills_its_kernel(server):
    async def scenario():
        km, kc, kernel = await _started(server.socket_path)
        kc.stop_channels()
        os.kill(km.provisioner.process.pid, signal.SIGKILL)  # what a hard kill of the kernel does
        gone = forkkernel.wait_gone(kernel)
        await km.shutdown_kernel(now=True)
        return gone

    assert _run(scenario()), "the server killed the kernel whose stub died"


def test_stub_without_a_server_exits_with_a_clear_message(tmp_path):
    missing = str(tmp_path / "no-server.sock")
    cmd = stub_command([sys.executable, "-m", "ipykernel_launcher", "-f", "x.json"], missing)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 70
    assert "cannot reach the fork server" in proc.stderr and missing in proc.stderr


def test_only_ipykernel_launches_go_through_the_server():
    ipk = ["/usr/bin/python3", "-m", "ipykernel_launcher", "-f", "k.json"]
    assert stub_command(ipk, "/s.sock")[-4:] == [str(forkkernel.STUB), "/s.sock", "-f", "k.json"]
    assert stub_command(ipk, "") == ipk, "no server: unchanged"
    other = ["R", "--slave", "-e", "IRkernel::main()", "k.json"]
    assert stub_command(other, "/s.sock") == other, "another kernel: unchanged"


def test_a_module_that_fails_to_preload_is_skipped_and_the_server_stops_cleanly(tmp_path):
    with ForkServer(preload=("json", "no_such_module_for_yrd")) as srv:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "P", "language": "python"}
        nb.cells.append(nbformat.v4.new_code_cell("import os; print(os.getppid())"))
        km = ForkKernelManager(socket_path=srv.socket_path)
        nbclient.NotebookClient(nb, km=km).execute()
        _run(km.shutdown_kernel())  # nbclient leaves a kernel it did not start running
        path, proc = srv.socket_path, srv._proc
        assert nb.cells[0].outputs[0]["text"] == "42\n"
        assert int(nb.cells[1].outputs[0]["text"]) == srv.pid, "forked, despite the failure"
    assert proc.returncode == 0, "the server stops when its owner is done"
    assert not os.path.exists(path), "its socket directory is removed"


def test_a_kernel_left_running_is_killed_when_the_server_is_stopped():
    async def start(path):
        km, kc, kernel = await _started(path)
        kc.stop_channels()
        return km, kernel

    with ForkServer(preload=("json",), timeout=1.0) as srv:
        km, kernel = _run(start(srv.socket_path))  # never shut down
        proc = srv._proc
    assert proc.returncode == 128 + signal.SIGTERM, "the owner stopped the server after 1 s"
    assert forkkernel.wait_gone(kernel), "and the server took its kernel down with it"
    _run(km.shutdown_kernel(now=True))


def test_threads_started_by_preloading_are_reported(monkeypatch, capfd):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "1")
    with ForkServer(preload=("numpy", "pandas")):  # pandas' pyarrow: jemalloc, fork-safe
        pass
    assert "started threads" not in capfd.readouterr().err
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "3")  # a BLAS pool a forked kernel would lack
    with ForkServer(preload=("numpy",)):
        pass
    assert "started threads" in capfd.readouterr().err


def test_without_pidfd_the_build_uses_fresh_kernels(monkeypatch):
    def refused(pid):
        raise OSError(38, "Function not implemented")

    monkeypatch.setattr(os, "pidfd_open", refused)
    assert not forkkernel.supported() and not forkkernel.enabled()
    with pytest.raises(forkkernel.ForkServerError, match="need"):
        ForkServer().__enter__()
