"""The architecture the code keeps (docs/architecture.md), checked on its syntax trees.

Layers: every import of another app's module (function-level ones too) must go down the
stack, or to a named interface. Views: no view writes or queries rows itself; a call of
``.save(``, ``.delete(`` or any use of ``.objects`` there fails the test. Rows are fetched
through the access modules and the apps' selectors, and written by services (which also write
the audit row and name the cache scopes).
"""

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "learning_lead",
    "teams",
    "reflections",
    "notifications",
    "privacy",
    "reports",
    "chat",
    "sso",
]

# Views that still query rows themselves, with how many times: fix them by moving the read
# into a selector (or access.py), then remove the entry. This list may only shrink: an entry
# that no longer matches fails too.
KNOWN_EXCEPTIONS: dict[str, int] = {}


def view_modules() -> list[Path]:
    found = []
    for app in APPS:
        found += (ROOT / app).glob("views.py")
        found += (ROOT / app / "views").glob("*.py")
    return sorted(found)


def row_access(source: str) -> list[str]:
    """Each ``.save(``, ``.delete(`` call and ``.objects`` use in the source, with its line."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("save", "delete"):
                found.append(f"line {node.lineno}: .{node.func.attr}(")
        elif isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(f"line {node.lineno}: .objects")
    return sorted(found)


def test_the_scan_finds_writes_and_queries_in_a_view():
    source = """
def team_rename(request, pk):
    team = Team.objects.get(pk=pk)
    team.name = request.POST["name"]
    team.save()
    request.user.memberships.first().delete()
    return redirect("teams:detail", pk=pk)
"""
    assert row_access(source) == ["line 3: .objects", "line 5: .save(", "line 6: .delete("]


def test_the_scan_passes_a_view_that_calls_access_and_services():
    source = """
def team_edit(request, pk):
    team = access.get_team_for(request.user, pk, manage=True)
    services.team_update(team=team, name=request.POST["name"])
    request.session.save_later = True  # an attribute named like a method is no call
    return redirect("teams:detail", pk=pk)
"""
    assert row_access(source) == []


def test_every_view_module_is_scanned():
    names = {str(path.relative_to(ROOT)) for path in view_modules()}
    assert {"teams/views/teams.py", "reports/views.py", "privacy/views.py"} <= names
    assert set(KNOWN_EXCEPTIONS) <= names


def test_no_view_writes_or_queries_rows_itself():
    counts = Counter()
    for path in view_modules():
        name = str(path.relative_to(ROOT))
        found = row_access(path.read_text())
        if found:
            counts[name] = len(found)
            assert len(found) <= KNOWN_EXCEPTIONS.get(name, 0), (
                f"{name} writes or queries rows itself ({found}): call a service, a selector "
                "or teams/access.py instead"
            )
    stale = {name: n for name, n in KNOWN_EXCEPTIONS.items() if counts[name] != n}
    assert stale == {}, "a known exception was fixed: shrink KNOWN_EXCEPTIONS in this test"


# Layers, bottom first. A module may import its own app and anything in a lower layer; an
# import of a higher layer fails unless it names an interface below. learning_lead is two
# layers: its infrastructure (settings helpers, text, fragments, mail) at the bottom, and the
# project's pages and wiring on top. Entry points (management commands) compose the apps and sit
# on top too.
LAYERS = [
    "learning_lead",
    "teams",
    "reflections",
    "notifications",
    "reports",
    "privacy",
    "chat",
    "sso",
    "project",
]
PROJECT_MODULES = {
    "learning_lead.views",
    "learning_lead.urls",
    "learning_lead.auth",
    # The admin's set-up checklist on the home page: it reads every app's settings.
    "learning_lead.setup_checklist",
}

# Named interfaces: a module (every name) or the names listed, with the lowest layer they
# serve. Any layer from that one up may import them; they themselves import only their own
# app's models and layers at or below that one (test_interfaces_keep_to_the_layer_they_serve).
INTERFACES: dict[str, set[str] | None] = {
    # The audit trail: every app's services record their sensitive actions through it.
    "privacy.audit": None,
    "privacy.models": {"AuditEvent"},
    # The inbox notices reflections' services give: an answer, a forward to HR, a report.
    "notifications.notice_services": None,
}
SERVES: dict[str, str] = {
    "privacy.audit": "teams",
    "privacy.models": "teams",
    "notifications.notice_services": "reflections",
}

# Upward imports not yet removed, with how many: move the code, then remove the entry. This
# list may only shrink: an entry that no longer matches fails too. Keep it empty.
KNOWN_UPWARD: dict[tuple[str, str], int] = {}


def layer_of(module: str) -> str | None:
    """The layer of a module of ours (None for a library's)."""
    if module in PROJECT_MODULES or ".management.commands." in module:
        return "project"
    app = module.split(".")[0]
    return app if app in LAYERS else None


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(source: str, module: str) -> list[tuple[int, str, list[str]]]:
    """Each import in the source, at any depth: (line, module imported, names taken from it).
    ``from app import services`` counts as an import of ``app.services``."""
    found = []
    package = module.rsplit(".", 1)[0] if "." in module else module
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = node.module or ""
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, target] if target else base)
            for alias in node.names:
                # ``from teams import access`` imports the module teams.access.
                if layer_of(target) and "." not in target and alias.name[0].islower():
                    found.append((node.lineno, f"{target}.{alias.name}", []))
                else:
                    found.append((node.lineno, target, [alias.name]))
    return found


def upward_imports(source: str, module: str) -> list[str]:
    """Each import in the source of a higher layer that is no named interface."""
    own = layer_of(module)
    found = []
    for line, target, names in imports(source, module):
        theirs = layer_of(target)
        if theirs is None or theirs == own or target.split(".")[0] == module.split(".")[0]:
            continue
        if LAYERS.index(theirs) < LAYERS.index(own):
            continue
        allowed = INTERFACES.get(target, set())
        served = LAYERS.index(SERVES.get(target, theirs)) <= LAYERS.index(own)
        if served and (allowed is None or (names and set(names) <= allowed)):
            continue
        found.append(f"line {line}: {target}")
    return found


def interface_imports_above(source: str, module: str) -> list[str]:
    """Each import in an interface's source of a layer above the one it serves, apart from its
    own app's models."""
    floor = LAYERS.index(SERVES[module])
    own_models = f"{module.split('.')[0]}.models"
    found = []
    for line, target, _names in imports(source, module):
        theirs = layer_of(target)
        if theirs is None or target == own_models or LAYERS.index(theirs) <= floor:
            continue
        found.append(f"line {line}: {target}")
    return found


def our_modules() -> list[Path]:
    found = []
    for app in APPS:
        found += [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]
    return sorted(found)


def test_the_layer_check_finds_an_upward_import():
    source = """
from django.db import transaction
from teams.models import Team
from privacy import services as privacy_services

def team_leave(*, team):
    from reflections.models import Thought
    from notifications.services import notify
"""
    assert upward_imports(source, "teams.services") == [
        "line 4: privacy.services",
        "line 7: reflections.models",
        "line 8: notifications.services",
    ]


def test_the_layer_check_allows_downward_imports_interfaces_and_entry_points():
    source = """
from learning_lead import fragments
from teams import access
from teams.models import Team
from privacy import audit
from privacy.audit import origin
from privacy.models import AuditEvent
from . import selectors
"""
    assert upward_imports(source, "reflections.services") == []
    assert upward_imports("from privacy.models import DeletionRequest", "reflections.x") == [
        "line 1: privacy.models"
    ]
    command = "from privacy import services\nfrom reports import rollups"
    assert upward_imports(command, "notifications.management.commands.run_reminders") == []
    assert upward_imports("from reports import rollups", "learning_lead.views") == []
    assert upward_imports("from teams import selectors", "learning_lead.fragments") == [
        "line 1: teams.selectors"
    ]


def test_an_interface_serves_only_the_layers_it_names():
    notify = (
        "from notifications import notice_services\nfrom notifications.notice_services import x"
    )
    assert upward_imports(notify, "reflections.services") == []
    assert upward_imports(notify, "teams.services") == [
        "line 1: notifications.notice_services",
        "line 2: notifications.notice_services",
    ]
    # Another module of the same app is no interface.
    assert upward_imports("from notifications import services", "reflections.services") == [
        "line 1: notifications.services"
    ]


def test_the_interface_check_finds_an_interface_importing_above_its_layer():
    source = """
from django.db import transaction
from notifications.models import Notification
from teams.models import User
from reflections.models import Question
from privacy.models import DeletionRequest

def notify(*, question):
    from notifications import services
    from reports import rollups
"""
    assert interface_imports_above(source, "notifications.notice_services") == [
        "line 6: privacy.models",
        "line 9: notifications.services",
        "line 10: reports.rollups",
    ]


def test_interfaces_keep_to_the_layer_they_serve():
    assert set(SERVES) == set(INTERFACES)
    problems = {}
    for module in INTERFACES:
        path = ROOT / (module.replace(".", "/") + ".py")
        found = interface_imports_above(path.read_text(), module)
        if found:
            problems[module] = found
    assert problems == {}, "an interface imports above the layer it serves (SERVES)"


def test_every_app_of_ours_has_a_layer_and_is_checked(settings):
    """A new app must be placed in LAYERS (and APPS), or nothing would check its imports."""
    ours = {app for app in settings.INSTALLED_APPS if (ROOT / app / "apps.py").exists()}
    assert ours <= set(LAYERS)
    assert ours | {"learning_lead"} == set(APPS)
    assert {"teams.services", "learning_lead.views"} <= {module_name(p) for p in our_modules()}


def test_no_module_imports_a_higher_layer():
    counts = Counter()
    problems = []
    for path in our_modules():
        module = module_name(path)
        for found in upward_imports(path.read_text(), module):
            target = found.split(": ", 1)[1]
            counts[(module, target)] += 1
            if counts[(module, target)] > KNOWN_UPWARD.get((module, target), 0):
                problems.append(f"{module} {found}")
    assert problems == [], (
        "upward imports (docs/architecture.md): move the code up, pass a callable, or use an "
        f"interface: {problems}"
    )
    stale = {key: n for key, n in KNOWN_UPWARD.items() if counts[key] != n}
    assert stale == {}, "an upward import was removed: shrink KNOWN_UPWARD in this test"
