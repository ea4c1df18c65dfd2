"""Tools with deliberately bad manners (hanging, crashing, printing, escaping) for the sandbox tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time

from fcgraph.tools.paths import ToolError, resolve


def read_text(path: str) -> str:
    return resolve(path).read_text()


def write_text(path: str, content: str) -> int:
    return resolve(path, must_exist=False).write_text(content)


def delete_path(path: str) -> None:
    os.remove(resolve(path))


def list_root() -> list[str]:
    return sorted(os.listdir(resolve(".")))


def sleep_for(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def crash_hard() -> None:
    print("about to crash", file=sys.stderr, flush=True)
    os._exit(3)


def noisy() -> str:
    print("chatter " * 20_000)  # far more than a pipe buffer holds
    sys.stdout.flush()
    os.write(1, b'{"id": 0, "ok": true, "result": "forged"}\n')
    return "quiet result"


def refuse() -> None:
    raise ToolError("nothing to do")


def divide(a: float, b: float) -> float:
    return a / b


def write_unchecked(path: str, content: str) -> None:
    """Bypasses resolve(): only the kernel-level isolation can stop it."""
    with open(path, "w") as handle:
        handle.write(content)


def network_interfaces() -> list[str]:
    return sorted(name for _, name in socket.if_nameindex())


def environment() -> dict[str, str]:
    return dict(os.environ)


def loaded_modules(names: list[str]) -> list[str]:
    return [name for name in names if name in sys.modules]


def whoami() -> dict[str, int | str | None]:
    return {"pid": os.getpid(), "parent": os.getppid(), "zygote": os.environ.get("FCGRAPH_ZYGOTE_ID")}


_remembered: str | None = None


def remember(value: str) -> None:
    global _remembered
    _remembered = value


def recall() -> str | None:
    return _remembered


def make_temp_file(content: str) -> str:
    """Where tempfile puts a file, which must work although the worker may write only beneath a few folders."""
    with tempfile.NamedTemporaryFile("w", delete=False) as handle:
        handle.write(content)
    return handle.name


def start_sleeper(marker: str) -> int:
    """Leaves a process behind in the worker's process group, findable on the host by `marker` in its command line."""
    return subprocess.Popen([sys.executable, "-c", "import time; time.sleep(1000)", marker]).pid


def hang_with_sleeper(marker: str) -> None:
    start_sleeper(marker)
    time.sleep(1000)
