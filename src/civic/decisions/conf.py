"""Settings of rules as code: the rule package, proactive runs, automated decisions.

Gathered by ``civic.settings``; imports nothing but ``core.config``.
"""

from __future__ import annotations

from civic.core.config import env

RULES_PACKAGE = env(
    "CIVIC_RULES_PACKAGE",
    default="openfisca_civic",
    help="Python package of the jurisdiction's law as an OpenFisca country package. It is "
    "loaded once per process and refused when one of its YAML tests fails.",
    group="Rules and decisions",
)
PROACTIVE_RUNNER = env(
    "CIVIC_PROACTIVE_RUNNER",
    default="inline",
    choices=("inline", "celery"),
    help="Where `civic proactive run` evaluates its chunks: `inline` (this process, the "
    "embedded default) or `celery` (one task per chunk on BROKER_URL's workers).",
    group="Rules and decisions",
)
PROACTIVE_CHUNK_SIZE = env(
    "CIVIC_PROACTIVE_CHUNK_SIZE",
    default=5000,
    kind=int,
    help="Addresses (households) per chunk of a proactive run; memory grows with it.",
    group="Rules and decisions",
)
DECISION_MARGIN = env(
    "CIVIC_DECISION_MARGIN",
    default=5,
    kind=int,
    help="Percentage around a threshold within which an automatable application goes to a "
    "caseworker instead of being decided by the rules.",
    group="Rules and decisions",
)
PROACTIVE_STALL_SECONDS = env(
    "CIVIC_PROACTIVE_STALL_SECONDS",
    default=600,
    kind=int,
    help="With CIVIC_PROACTIVE_RUNNER=celery, how long `civic proactive run` waits for the "
    "workers to finish another chunk before it stops and says so (the run can be resumed).",
    group="Rules and decisions",
)

#: Periodic work of the rules, for `celery -A civic beat`.
DECISIONS_BEAT_SCHEDULE = {
    "decisions-nightly-proactive-run": {
        "task": "civic.decisions.proactive_run_nightly",
        "schedule": 24 * 60 * 60.0,
    },
}
SOURCE_CODE_URL = env(
    "CIVIC_SOURCE_CODE_URL",
    default="",
    help="Where Civic's source code is published (its public repository). The algorithm "
    "register links it as each entry's source code (`publiccode`). Empty: the register links "
    "the publiccode.yml this installation serves at /algorithms/publiccode.yml, which names "
    "the software, its version and its licence (EUPL-1.2).",
    group="Rules and decisions",
)
