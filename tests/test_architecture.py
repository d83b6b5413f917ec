"""Views parse, call and render: no view writes or queries rows itself.

Every view module is read as a syntax tree; a call of ``.save(``, ``.delete(`` or any use of
``.objects`` there fails the test. Rows are fetched through teams/access.py and the apps'
selectors, and written by services (which also write the audit row and name the cache scopes).
"""

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["learning_lead", "teams", "reflections", "notifications", "privacy", "reports", "chat"]

# Views that still query rows themselves, with how many times: fix them by moving the read
# into a selector (or access.py), then remove the entry. This list may only shrink: an entry
# that no longer matches fails too.
KNOWN_EXCEPTIONS = {
    "learning_lead/views.py": 2,  # Membership.objects in home and bench_floor
    "reflections/views/feeds.py": 1,  # CalendarFeed.objects: the feed by its token
}


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
