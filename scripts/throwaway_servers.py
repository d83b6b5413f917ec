"""Throwaway PostgreSQL and redis-server for one test run (scripts/provision.py decides when):
free ports on 127.0.0.1, data in a temporary folder, stopped and removed on the way out,
also when the run fails or is interrupted. Standard library only.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

HOST = "127.0.0.1"
DATABASE_URL = "postgres://postgres@127.0.0.1:{port}/learning_lead"
REDIS_URL = "redis://127.0.0.1:{port}/15"
TEMP_PREFIX = "ll-test-services-"
START_SECONDS = 30
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def postgres_bindir() -> str | None:
    """Debian keeps initdb and postgres out of PATH, under /usr/lib/postgresql/<version>/bin."""
    found = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if found:
        newest = max(found, key=lambda path: [int(n) for n in path.split("/")[4].split(".")])
        return os.path.dirname(newest)
    on_path = shutil.which("initdb")
    return os.path.dirname(on_path) if on_path else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _wait_until(ready: Callable[[], bool], process: subprocess.Popen, name: str, log: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"the throwaway {name} did not start; its log:\n{_tail(log)}")


def _tail(log: str) -> str:
    with open(log, errors="replace") as f:
        return f.read()[-2000:]


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C and the stop signals wait until a step that must not be cut short has ended
    (stopping a server, removing its folder), then arrive as usual."""
    held = {signal.SIGINT, *STOP_SIGNALS}
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


@contextmanager
def _service(argv: list[str], log: str, stop_signal: int, **kwargs) -> Iterator[subprocess.Popen]:
    """A server in its own session (the terminal's Ctrl-C reaches the tests, not it), stopped
    with `stop_signal` and, if it lingers, killed with its whole process group."""
    with open(log, "ab") as out:
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=out, stderr=out, start_new_session=True, **kwargs
        )
    try:
        yield process
    finally:
        with _signals_held():
            if process.poll() is None:
                process.send_signal(stop_signal)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                # Not yet reaped, so the group is still ours: the server and what it started.
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _as_postgres() -> dict:
    """postgres refuses to run as root: as root, run it as the postgres user."""
    if os.geteuid() != 0:
        return {}
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise RuntimeError("no postgres user to run the throwaway PostgreSQL as") from None
    return {"user": "postgres", "group": "postgres", "extra_groups": []}


@contextmanager
def throwaway_postgres(folder: str) -> Iterator[str]:
    bindir = postgres_bindir()
    if bindir is None:
        raise RuntimeError("initdb not found: install Debian's postgresql package")
    data, log, port = os.path.join(folder, "pg"), os.path.join(folder, "pg.log"), free_port()
    os.mkdir(data, 0o700)
    open(log, "w").close()
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
        shutil.chown(log, "postgres", "postgres")
    user = _as_postgres()
    initdb = [f"{bindir}/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]
    with open(log, "ab") as out:
        process = subprocess.Popen(
            [*initdb, "--locale=C.UTF-8", "--no-sync"],
            stdin=subprocess.DEVNULL, stdout=out, stderr=out, cwd=folder,
            start_new_session=True, **user,
        )  # fmt: skip
    with _signals_held():  # initdb's own processes must not outlive it in the folder
        status = process.wait()
    if status != 0:
        hint = f" (as {user['user']}, who must reach {folder}: TMPDIR)" if user else ""
        raise RuntimeError(f"initdb failed{hint}; its log:\n{_tail(log)}")
    settings = [
        f"listen_addresses={HOST}",
        "unix_socket_directories=",
        # A throwaway cluster: durability buys nothing and costs time.
        "fsync=off",
        "synchronous_commit=off",
        "full_page_writes=off",
    ]
    argv = [f"{bindir}/postgres", "-D", data, "-p", str(port)]
    argv += [arg for setting in settings for arg in ("-c", setting)]

    def ready() -> bool:
        check = [f"{bindir}/pg_isready", "-q", "-h", HOST, "-p", str(port)]
        return subprocess.run(check, capture_output=True).returncode == 0

    # SIGINT is PostgreSQL's fast shutdown: open connections are closed, not waited for.
    with _service(argv, log, signal.SIGINT, cwd=folder, **user) as process:
        _wait_until(ready, process, "PostgreSQL", log)
        # The database the URL names, as on a development machine (tests create their own).
        createdb = [f"{bindir}/createdb", "-h", HOST, "-p", str(port), "-U", "postgres"]
        subprocess.run([*createdb, "learning_lead"], capture_output=True, check=True)
        yield DATABASE_URL.format(port=port)


@contextmanager
def throwaway_redis(folder: str) -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        raise RuntimeError("redis-server not found: install Debian's redis-server package")
    data, log, port = os.path.join(folder, "redis"), os.path.join(folder, "redis.log"), free_port()
    os.mkdir(data, 0o700)
    argv = [server, "--bind", HOST, "--port", str(port), "--dir", data]
    argv += ["--save", "", "--appendonly", "no", "--daemonize", "no"]

    def ready() -> bool:
        try:
            with socket.create_connection((HOST, port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    with _service(argv, log, signal.SIGTERM, cwd=folder) as process:
        _wait_until(ready, process, "redis-server", log)
        yield REDIS_URL.format(port=port)


@contextmanager
def temporary_folder() -> Iterator[str]:
    folder = tempfile.mkdtemp(prefix=TEMP_PREFIX)
    os.chmod(folder, 0o755)  # the postgres user must reach its data folder inside
    try:
        yield folder
    finally:
        with _signals_held():
            shutil.rmtree(folder, ignore_errors=True)
        if os.path.exists(folder):
            print(f"provision: could not remove {folder}", file=sys.stderr)
