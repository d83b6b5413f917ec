"""scripts/provision.py, which `make test` and `.ci/run` call: running services are reused,
missing ones started for the run and removed afterwards, missing packages installed or named.
Ports, PATH and root are faked; the machine's own PostgreSQL and Redis are never touched."""

import importlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
SCRIPT = SCRIPTS / "provision.py"
sys.path.insert(0, str(SCRIPTS))  # as when run: the script's folder comes first
provision = importlib.import_module("provision")
sys.path.remove(str(SCRIPTS))

EVERYTHING = {"redis-server", "chromedriver", "npm", "msgfmt"}


def plan_for(env=None, *, answering=(5432, 6379), programs=EVERYTHING, postgres=True, **kw):
    return provision.make_plan(
        env or {},
        answers=lambda port: port in answering,
        which=lambda name: f"/usr/bin/{name}" if name in programs else None,
        exists=lambda path: True,
        find_postgres=lambda: "/usr/lib/postgresql/15/bin" if postgres else None,
        **kw,
    )


def no_sudo():
    raise AssertionError("sudo is not asked about when nothing is missing or we are root")


def test_running_services_are_reused_with_the_usual_urls():
    plan = plan_for()
    assert (plan.start_postgres, plan.start_redis, plan.missing) == (False, False, ())
    with provision.services(plan, {"PATH": "/bin"}) as env:
        assert env["DATABASE_URL"] == "postgres://postgres@127.0.0.1:5432/learning_lead"
        assert env["REDIS_URL"] == "redis://127.0.0.1:6379/15"
        assert env["PATH"] == "/bin"


def test_urls_that_are_set_are_used_without_looking_at_the_usual_ports():
    env = {"DATABASE_URL": "postgres://db.example/x", "REDIS_URL": "redis://cache.example/1"}

    def no_probe(port):
        raise AssertionError(f"port {port} was probed")

    plan = provision.make_plan(env, answers=no_probe, is_root=True)
    assert (plan.start_postgres, plan.start_redis) == (False, False)
    with provision.services(plan, env) as run_env:
        assert run_env["DATABASE_URL"] == env["DATABASE_URL"]
        assert run_env["REDIS_URL"] == env["REDIS_URL"]


def test_a_service_that_does_not_answer_is_started_and_only_that_one():
    both_down = plan_for(answering=())
    assert (both_down.start_postgres, both_down.start_redis) == (True, True)
    only_redis_down = plan_for(answering=(5432,))
    assert (only_redis_down.start_postgres, only_redis_down.start_redis) == (False, True)


def test_server_packages_are_needed_only_for_servers_that_must_start():
    programs = EVERYTHING - {"redis-server"}
    assert plan_for(programs=programs, postgres=False).missing == ()
    down = plan_for(answering=(), programs=programs, postgres=False, is_root=True)
    assert down.missing == ("postgresql", "redis-server")
    ci = plan_for(programs=programs, postgres=False, all_services=True, is_root=True)
    assert ci.missing == ("postgresql", "redis-server")


def test_browser_and_translation_packages_are_always_needed():
    plan = plan_for(programs={"redis-server"}, is_root=True)
    without_chromium = provision.make_plan(
        {}, answers=lambda port: True, which=shutil.which, exists=lambda path: False,
        find_postgres=lambda: None, is_root=True,
    )  # fmt: skip
    assert plan.missing == ("chromium-driver", "npm", "gettext")
    assert without_chromium.missing[0] == "chromium"
    chosen = provision.make_plan(
        {"CHROMIUM_PATH": "/opt/chrome"}, answers=lambda port: True, which=shutil.which,
        exists=lambda path: False, find_postgres=lambda: None, is_root=True,
    )  # fmt: skip
    assert "chromium" not in chosen.missing


def test_root_installs_missing_packages_with_apt_get(monkeypatch):
    plan = plan_for(programs=EVERYTHING - {"npm"}, is_root=True, passwordless_sudo=no_sudo)
    ran = []
    monkeypatch.setattr(
        provision.subprocess, "run", lambda command, **kw: ran.append(command) or _done()
    )
    assert provision.ensure_packages(plan, {}) == 0
    assert ran == [("apt-get", "update", "-qq"), ("apt-get", "install", "-y", "-qq", "npm")]


def test_passwordless_sudo_installs_missing_packages(monkeypatch):
    plan = plan_for(programs=set(), is_root=False, passwordless_sudo=lambda: True)
    ran = []
    monkeypatch.setattr(
        provision.subprocess, "run", lambda command, **kw: ran.append(command) or _done()
    )
    assert provision.ensure_packages(plan, {}) == 0
    assert ran[-1] == (
        "sudo", "-n", "apt-get", "install", "-y", "-qq", "chromium-driver", "npm", "gettext"
    )  # fmt: skip


def test_without_root_or_sudo_one_message_names_the_packages_and_the_command(monkeypatch, capsys):
    plan = plan_for(programs={"chromedriver"}, is_root=False, passwordless_sudo=lambda: False)
    monkeypatch.setattr(provision.subprocess, "run", lambda *a, **kw: pytest.fail("ran " + a[0]))
    assert provision.ensure_packages(plan, {}) == 1
    message = capsys.readouterr().err
    assert "missing: npm, gettext." in message
    assert "sudo apt-get update && sudo apt-get install -y npm gettext" in message


def test_plan_says_what_would_happen():
    env = {**os.environ, "DATABASE_URL": "postgres://db.example/x", "REDIS_URL": "redis://r/1"}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "plan"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0
    assert "PostgreSQL: DATABASE_URL is set; using it" in done.stdout
    assert "Redis: REDIS_URL is set; using it" in done.stdout


def test_port_answers_only_when_something_listens():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert provision.port_answers(port)
    assert not provision.port_answers(port)


def test_the_command_runs_with_the_urls_and_its_exit_status_is_kept():
    env = {**os.environ, "DATABASE_URL": "postgres://db.example/x", "REDIS_URL": "redis://r/1"}
    check = 'import os, sys; sys.exit(7 if os.environ["REDIS_URL"] == "redis://r/1" else 1)'
    assert provision.run([sys.executable, "-c", check], env) == 7


@pytest.mark.processes
@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs Debian's redis-server")
def test_a_throwaway_redis_answers_during_the_run_and_is_gone_with_its_folder_after(
    monkeypatch, tmp_path
):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    plan = provision.Plan(start_postgres=False, start_redis=True, missing=(), sudo=None)
    with provision.services(plan, {}) as env:
        port = int(env["REDIS_URL"].removeprefix("redis://127.0.0.1:").removesuffix("/15"))
        with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            assert connection.recv(16) == b"+PONG\r\n"
        assert [folder.name[:17] for folder in tmp_path.iterdir()] == ["ll-test-services-"]
    assert port != 6379
    assert not provision.port_answers(port)
    assert list(tmp_path.iterdir()) == []


def _done():
    return subprocess.CompletedProcess(args=[], returncode=0)
