"""The unnamed bulk of the company: ordinary, mostly well-kept users with a realistic mix.

Drawn from a seeded ``random.Random`` only, so the same seed gives the same people.
"""

from __future__ import annotations

import random

from reportgen.sandbox.cast import OSAKA, VIRGINIA
from reportgen.sandbox.spec import TOKYO
from reportgen.sandbox.timeline import NEVER, KeyLife, Person, Usage, clear_of_limits

SURNAMES = [
    "sato",
    "suzuki",
    "takahashi",
    "tanaka",
    "watanabe",
    "ito",
    "yamamoto",
    "nakamura",
    "kobayashi",
    "kato",
    "yoshida",
    "yamada",
    "sasaki",
    "yamaguchi",
    "matsumoto",
    "inoue",
    "kimura",
    "hayashi",
    "shimizu",
    "yamazaki",
    "mori",
    "abe",
    "ikeda",
    "hashimoto",
    "yamashita",
    "ishikawa",
    "nakajima",
    "maeda",
    "fujita",
    "ogawa",
    "goto",
    "okada",
    "hasegawa",
    "murakami",
    "kondo",
    "ishii",
    "saito",
    "sakamoto",
    "endo",
    "aoki",
    "fujii",
    "nishimura",
    "fukuda",
    "ota",
    "miura",
    "fujiwara",
    "okamoto",
    "matsuda",
    "nakagawa",
    "nakano",
]
GIVEN_NAMES = [
    "hiroshi",
    "takashi",
    "kenji",
    "daisuke",
    "yuki",
    "yuka",
    "emi",
    "mai",
    "naoki",
    "sho",
    "aoi",
    "haruto",
    "sota",
    "yuto",
    "riku",
    "ren",
    "hina",
    "yui",
    "sakura",
    "misaki",
    "ayaka",
    "kaori",
    "tomoko",
    "yoko",
    "akiko",
    "keiko",
    "noriko",
    "makoto",
    "satoshi",
    "tetsuya",
    "kazuki",
    "ryo",
    "takumi",
    "shota",
    "kenta",
    "yusuke",
    "hiroki",
    "masato",
    "koji",
    "shinji",
    "akira",
    "jun",
    "mana",
    "nanami",
    "rina",
    "saki",
    "miho",
    "erika",
    "chihiro",
    "haruka",
    "kana",
    "megumi",
    "natsuki",
    "reiko",
    "shiori",
    "tomoya",
    "yuma",
    "kaito",
    "minato",
    "itsuki",
]
SYSTEMS = [
    "ci",
    "batch",
    "backup",
    "etl",
    "monitor",
    "billing",
    "crm",
    "web",
    "api",
    "report",
    "edi",
    "payroll",
]
PURPOSES = ["deploy", "sync", "export", "import", "runner", "agent", "uploader", "reader"]
USES = (
    ("s3", TOKYO),
    ("ec2", TOKYO),
    ("dynamodb", TOKYO),
    ("lambda", OSAKA),
    ("sqs", TOKYO),
    ("sts", VIRGINIA),
)
# job: (weight, group, share with console, share with an access key)
JOBS = {
    "developer": (50, "Developers", 1.0, 0.6),
    "operator": (15, "Operators", 1.0, 0.5),
    "business": (20, "ReadOnly", 1.0, 0.05),
    "auditor": (3, "Auditors", 1.0, 0.0),
    "admin": (2, "Admins", 1.0, 0.3),
    "service": (10, "", 0.0, 1.0),
}


def crowd(count: int, rng: random.Random, taken: set[str]) -> tuple[Person, ...]:
    """``count`` ordinary people with unique names not in ``taken`` (which is updated)."""
    jobs = list(JOBS)
    weights = [JOBS[j][0] for j in jobs]
    return tuple(_person(rng.choices(jobs, weights)[0], rng, taken) for _ in range(count))


def _unique(base: str, taken: set[str]) -> str:
    name, number = base, 2
    while name in taken:
        name, number = f"{base}{number}", number + 1
    taken.add(name)
    return name


def _days(rng: random.Random, low: int, high: int) -> int:
    return clear_of_limits(rng.randint(low, max(low, high)))


def _usage(rng: random.Random, created: int) -> Usage:
    roll = rng.random()
    if roll < 0.82:
        return Usage(0, rng.randint(0, 9))
    if roll < 0.95:
        return Usage(_days(rng, 20, created), rng.randint(0, 3))  # stopped some time ago
    return NEVER


def _key(rng: random.Random, created: int, newest: int = 800) -> KeyLife:
    made = min(created, _days(rng, 30, min(newest, created)))
    service, region = rng.choice(USES)
    deactivated = _days(rng, 0, made) if rng.random() < 0.04 else None
    return KeyLife(made, _usage(rng, made), service, region, deactivated=deactivated)


def _person(job: str, rng: random.Random, taken: set[str]) -> Person:
    _, group, console_share, key_share = JOBS[job]
    if job == "service":
        name = _unique(f"svc-{rng.choice(SYSTEMS)}-{rng.choice(PURPOSES)}", taken)
    else:
        name = _unique(f"{rng.choice(SURNAMES)}.{rng.choice(GIVEN_NAMES)}", taken)
    created = _days(rng, 5, 1800)
    console = rng.random() < console_share
    keys: tuple[KeyLife, ...] = ()
    if rng.random() < key_share:
        first = _key(rng, created)
        keys = (first,)
        if rng.random() < 0.04:  # a rotation left half done: a second, newer key
            keys = (first, _key(rng, first.created, newest=first.created))
    mfa = None
    if console and (job == "admin" or rng.random() < 0.9):
        mfa = max(0, created - rng.randint(0, 14))
    groups = (group,) if group and rng.random() < 0.97 else ()
    policies = ("AmazonS3ReadOnlyAccess",) if job == "service" else ()
    return Person(
        name,
        created=created,
        groups=groups,
        console=console,
        login=_usage(rng, created),
        mfa=mfa,
        keys=keys,
        policies=policies,
        tags=(("team", job),),
    )
