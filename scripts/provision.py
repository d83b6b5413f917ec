"""What `make test` (and `.ci/run`) needs around the suite, decided and set up in one place.

`plan` says what would happen, `packages` installs the missing Debian packages (root or
passwordless sudo) or stops with one message naming them and the command, and `run -- CMD`
runs CMD with DATABASE_URL and REDIS_URL pointing at services that answer: the ones already
running at 127.0.0.1:5432 and :6379 when nothing is set, else a throwaway PostgreSQL and
redis-server (scripts/throwaway_servers.py), stopped and removed when CMD ends, fails or is
interrupted. Standard library only: it runs before the virtualenv exists. The decisions are
pure functions so tests/test_provisioning.py can check them without touching real services.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from throwaway_servers import (
    DATABASE_URL,
    HOST,
    REDIS_URL,
    STOP_SIGNALS,
    postgres_bindir,
    temporary_folder,
    throwaway_postgres,
    throwaway_redis,
)

POSTGRES_PORT = 5432
REDIS_PORT = 6379
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Plan:
    start_postgres: bool
    start_redis: bool
    missing: tuple[str, ...]  # Debian packages
    sudo: tuple[str, ...] | None  # how we may run apt-get: () as root, None when we may not

    def install_commands(self) -> list[tuple[str, ...]]:
        if not self.missing or self.sudo is None:
            return []
        return [
            (*self.sudo, "apt-get", "update", "-qq"),
            (*self.sudo, "apt-get", "install", "-y", "-qq", *self.missing),
        ]


def port_answers(port: int, host: str = HOST) -> bool:
    """True when something accepts a TCP connection there (what a client would see)."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def services_to_start(env: dict[str, str], answers: Callable[[int], bool]) -> tuple[bool, bool]:
    """A service is started only when its URL is unset and nothing answers at its usual port."""
    start_postgres = not env.get("DATABASE_URL") and not answers(POSTGRES_PORT)
    start_redis = not env.get("REDIS_URL") and not answers(REDIS_PORT)
    return start_postgres, start_redis


def missing_packages(
    *,
    need_postgres: bool,
    need_redis: bool,
    env: dict[str, str],
    which: Callable[[str], str | None],
    exists: Callable[[str], bool],
    bindir: str | None,
) -> tuple[str, ...]:
    """The Debian packages whose programs the run needs and cannot find, in install order."""
    wanted = [
        ("postgresql", need_postgres and bindir is None),
        ("redis-server", need_redis and which("redis-server") is None),
        # The browser tests use CHROMIUM_PATH when set; only Debian's default is ours to install.
        ("chromium", "CHROMIUM_PATH" not in env and not exists(CHROMIUM)),
        ("chromium-driver", which("chromedriver") is None),
        ("npm", which("npm") is None),  # `make axe` fetches axe-core with it
        ("gettext", which("msgfmt") is None),  # compilemessages
    ]
    return tuple(package for package, missing in wanted if missing)


def apt_prefix(*, is_root: bool, passwordless_sudo: Callable[[], bool]) -> tuple[str, ...] | None:
    """apt-get as root, through `sudo -n` when that needs no password, else None (ask)."""
    if is_root:
        return ()
    if passwordless_sudo():
        return ("sudo", "-n")
    return None


def missing_message(missing: tuple[str, ...]) -> str:
    names = " ".join(missing)
    return (
        f"make test needs these Debian packages, which are missing: {', '.join(missing)}.\n"
        f"Install them with:\n\n"
        f"    sudo apt-get update && sudo apt-get install -y {names}\n\n"
        f"(As root, or with sudo that needs no password, make test installs them itself.)"
    )


def has_passwordless_sudo() -> bool:
    if shutil.which("sudo") is None:
        return False
    return subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0


def make_plan(
    env: dict[str, str],
    *,
    all_services: bool = False,
    answers: Callable[[int], bool] = port_answers,
    which: Callable[[str], str | None] = shutil.which,
    exists: Callable[[str], bool] = os.path.exists,
    find_postgres: Callable[[], str | None] = postgres_bindir,
    is_root: bool | None = None,
    passwordless_sudo: Callable[[], bool] = has_passwordless_sudo,
) -> Plan:
    """`all_services` asks for the service packages even when running services make them
    unnecessary now (CI, which later runs with those services out of reach)."""
    start_postgres, start_redis = services_to_start(env, answers)
    missing = missing_packages(
        need_postgres=start_postgres or all_services,
        need_redis=start_redis or all_services,
        env=env,
        which=which,
        exists=exists,
        bindir=find_postgres(),
    )
    sudo = None
    if missing:
        root = os.geteuid() == 0 if is_root is None else is_root
        sudo = apt_prefix(is_root=root, passwordless_sudo=passwordless_sudo)
    return Plan(start_postgres, start_redis, missing, sudo)


def describe(plan: Plan, env: dict[str, str]) -> list[str]:
    def line(name: str, variable: str, port: int, start: bool) -> str:
        if env.get(variable):
            return f"{name}: {variable} is set; using it"
        if start:
            return f"{name}: nothing answers at {HOST}:{port}; starting a throwaway one"
        return f"{name}: using the one at {HOST}:{port}"

    lines = [
        line("PostgreSQL", "DATABASE_URL", POSTGRES_PORT, plan.start_postgres),
        line("Redis", "REDIS_URL", REDIS_PORT, plan.start_redis),
    ]
    if plan.missing:
        lines.append(f"missing Debian packages: {' '.join(plan.missing)}")
        commands = [" ".join(command) for command in plan.install_commands()]
        lines.append(f"install: {' && '.join(commands) or 'not allowed (neither root nor sudo)'}")
    return lines


@contextmanager
def services(plan: Plan, env: dict[str, str]) -> Iterator[dict[str, str]]:
    """The environment for the run: env with both URLs set, throwaway services up if planned."""
    urls = {
        "DATABASE_URL": env.get("DATABASE_URL") or DATABASE_URL.format(port=POSTGRES_PORT),
        "REDIS_URL": env.get("REDIS_URL") or REDIS_URL.format(port=REDIS_PORT),
    }
    with ExitStack() as stack:
        if plan.start_postgres or plan.start_redis:
            folder = stack.enter_context(temporary_folder())
            if plan.start_postgres:
                urls["DATABASE_URL"] = stack.enter_context(throwaway_postgres(folder))
            if plan.start_redis:
                urls["REDIS_URL"] = stack.enter_context(throwaway_redis(folder))
        yield {**env, **urls}


class _Stop(Exception):
    def __init__(self, signum: int) -> None:
        self.signum = signum


def run(argv: list[str], env: dict[str, str]) -> int:
    """Runs argv with the services it needs; everything started here is gone when it returns,
    also after a failure, Ctrl-C (the command gets it from the terminal, we wait for it) or
    SIGTERM/SIGHUP (passed on to the command)."""
    child: subprocess.Popen | None = None

    def on_signal(signum: int, frame: object) -> None:
        if child is not None and child.poll() is None:
            child.send_signal(signum)
        else:
            raise _Stop(signum)

    previous = {signum: signal.signal(signum, on_signal) for signum in STOP_SIGNALS}
    plan = make_plan(env)
    for line in describe(plan, env):
        print(f"provision: {line}", flush=True)
    try:
        with services(plan, env) as run_env:
            child = subprocess.Popen(argv, env=run_env)
            status = _wait_as_a_shell(child)
            return 128 - status if status < 0 else status  # as a shell reports a signal
    except _Stop as stop:
        return 128 + stop.signum
    except KeyboardInterrupt:
        return 128 + signal.SIGINT
    except (RuntimeError, subprocess.CalledProcessError) as error:
        print(f"provision: {error}", file=sys.stderr)
        return 1
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _wait_as_a_shell(child: subprocess.Popen) -> int:
    """Ctrl-C reaches the command from the terminal; like a shell, we wait for it to finish
    (pytest tears down on the database) before the services stop."""
    interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return child.wait()
    finally:
        child.wait()
        signal.signal(signal.SIGINT, interrupt)


def ensure_packages(plan: Plan, env: dict[str, str]) -> int:
    if not plan.missing:
        return 0
    if plan.sudo is None:
        print(missing_message(plan.missing), file=sys.stderr)
        return 1
    print(f"provision: installing {' '.join(plan.missing)}", flush=True)
    apt_env = {**env, "DEBIAN_FRONTEND": "noninteractive"}
    for command in plan.install_commands():
        if subprocess.run(command, env=apt_env, stdout=subprocess.DEVNULL).returncode != 0:
            print(f"provision: `{' '.join(command)}` failed", file=sys.stderr)
            return 1
    return 0


USAGE = """usage: scripts/provision plan [--all-services]
       scripts/provision packages [--all-services]
       scripts/provision run -- COMMAND [ARGS...]"""


def main(args: list[str]) -> int:
    env = dict(os.environ)
    command, rest = (args[0], args[1:]) if args else ("", [])
    all_services = rest == ["--all-services"]
    if command == "plan" and rest in ([], ["--all-services"]):
        for line in describe(make_plan(env, all_services=all_services), env):
            print(line)
        return 0
    if command == "packages" and rest in ([], ["--all-services"]):
        return ensure_packages(make_plan(env, all_services=all_services), env)
    if command == "run" and rest[:1] == ["--"] and len(rest) > 1:
        return run(rest[1:], env)
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
