"""How many examples a property test tries: all of them in `make test` (and CI), a fifth in
`make test-fast`, which sets HYPOTHESIS_PROFILE=fast for a quick loop while working
(docs/testing.md). Tests that set no count of their own follow the profile (100 or 20)."""

import os

from hypothesis import settings

FAST = os.environ.get("HYPOTHESIS_PROFILE") == "fast"
settings.register_profile("fast", max_examples=20)
settings.load_profile("fast" if FAST else "default")


def examples(full: int) -> int:
    """`full` examples, or a fifth of them (at least five) in the quick loop."""
    return max(5, full // 5) if FAST else full
