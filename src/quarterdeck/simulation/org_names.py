"""Names for simulated people, teams, divisions, services and repositories.

People's names are drawn from fixed lists (ASCII, so e-mail addresses and logins need no
transliteration); every person gets a unique work e-mail, GitHub login and Jira accountId.
Teams are named after what they work on; a name list that runs out continues with
numbered names (``checkout-2``).
"""

from __future__ import annotations

import hashlib

from quarterdeck.simulation.rng import Rng


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = words(
    "Aarav Abigail Adrian Aisha Alba Alejandro Alice Amara Ana Andre Anika Arjun Ben Bianca Carla Carlos "
    "Chen Chloe Clara Daniel David Diego Elena Elif Emil Emma Erik Fatima Felix Finn Gabriel Grace Hana "
    "Hannah Hugo Ines Isaac Ivan Jakob Jana Javier Joao Jonas Julia Kai Karin Kenji Lara Laura Leon Lina "
    "Lucas Luis Maja Marco Maria Mateo Maya Mei Miguel Mila Nadia Neha Nikhil Nina Noah Olga Omar Pablo "
    "Paula Pedro Priya Rahul Rita Rosa Ruben Sara Sofia Tariq Tomas Uma Vera Victor Wei Yara Yusuf Zoe"
)

LAST_NAMES = words(
    "Adams Ahmed Almeida Andersen Bauer Becker Bose Braun Carvalho Chen Costa Cruz Das Diaz Dubois Evans "
    "Fischer Fernandes Garcia Gomes Gupta Hahn Hansen Hoffmann Iyer Jansen Jones Kapoor Keller Kim Koch "
    "Kumar Lange Lee Lopez Martin Mehta Meyer Moreau Muller Nair Novak Nguyen Oliveira Ortiz Park Patel "
    "Pereira Petrov Reddy Ribeiro Richter Rossi Santos Schmidt Schneider Silva Singh Smith Sousa Tanaka "
    "Taylor Torres Vogel Wagner Walker Wang Weber Wolf Wong Yilmaz Young Zhang Zimmermann"
)

STREAM_ALIGNED = words(
    "checkout payments billing subscriptions onboarding search catalog cart pricing-experience "
    "merchant-tools invoicing accounts notifications messaging scheduling bookings reviews "
    "recommendations-ui loyalty promotions marketplace seller-portal mobile-checkout growth-experiments "
    "referrals lifecycle-marketing customer-support-tools returns shipping fulfilment inventory "
    "order-management wallet refunds tax-compliance partner-integrations public-api reporting "
    "dashboards analytics-ui admin-console user-profile settings localization accessibility "
    "android-app ios-app web-storefront media-library document-editor collaboration comments "
    "feeds discovery personalization-ui trial-conversion pricing-pages enterprise-admin sso-experience "
    "audit-trail data-export imports calendar video-calls chat help-center status-updates "
    "insurance claims quotes travel-planner maps-experience"
)

PLATFORM = words(
    "developer-tools build-and-release observability compute networking identity data-platform "
    "ci-infrastructure storage-platform api-gateway service-mesh cloud-foundations "
    "mobile-platform web-platform feature-flags messaging-platform database-reliability edge"
)

ENABLING = words(
    "developer-experience security-enablement sre-enablement architecture quality-enablement "
    "accessibility-enablement data-enablement performance-guild"
)

COMPLICATED_SUBSYSTEM = words(
    "pricing-engine fraud-detection ranking-models video-encoding search-relevance routing-engine "
    "forecasting risk-scoring ledger-core speech-recognition image-processing sync-engine"
)

TEAM_NAMES: dict[str, tuple[str, ...]] = {
    "stream-aligned": STREAM_ALIGNED,
    "platform": PLATFORM,
    "enabling": ENABLING,
    "complicated-subsystem": COMPLICATED_SUBSYSTEM,
}

DIVISIONS = words(
    "commerce growth core-product infrastructure data-and-ml client-apps money-movement "
    "customer-experience enterprise marketplace-division trust-and-safety productivity "
    "partner-ecosystem content logistics insights foundations communications security-division "
    "platform-services"
)

GROUPS = words("product-engineering platform-engineering business-engineering emerging-products")

#: What a service does, as the suffix of its name (payments-api), and the language of its
#: first repository (None: drawn).
SERVICE_KINDS: tuple[tuple[str, str | None], ...] = (
    ("api", None),
    ("service", None),
    ("worker", None),
    ("web", "typescript"),
    ("jobs", None),
    ("gateway", "go"),
    ("pipeline", "python"),
    ("sync", None),
)
#: Suffixes of a service's second repository and its language (None: the first one's).
SECOND_REPOSITORY: tuple[tuple[str, str | None], ...] = (
    ("web", "typescript"),
    ("client", "typescript"),
    ("infra", "go"),
    ("sdk", None),
    ("migrations", None),
)
LANGUAGES: tuple[tuple[str, float], ...] = (("python", 0.35), ("go", 0.30), ("java", 0.20), ("typescript", 0.15))


ACRONYMS = {"api": "API", "sdk": "SDK", "ml": "ML", "ci": "CI", "sso": "SSO", "sre": "SRE", "ios": "iOS", "ui": "UI"}


def display_name(slug: str) -> str:
    """``merchant-tools`` -> ``Merchant Tools``, ``payments-api`` -> ``Payments API``."""
    return " ".join(w if w == "and" else ACRONYMS.get(w, w.capitalize()) for w in slug.split("-"))


class NameBook:
    """Hands out unique names: for people (e-mail and login unique), teams and repositories."""

    def __init__(self, rng: Rng, organization: str):
        self.rng, self.organization = rng, organization
        self.used: set[str] = set()  # membership only; never iterated

    def unique(self, wanted: str) -> str:
        """``wanted``, or ``wanted-2``, ``wanted-3``... whichever is free first."""
        name, n = wanted, 1
        while name in self.used:
            n += 1
            name = f"{wanted}-{n}"
        self.used.add(name)
        return name

    def from_pool(self, pool: tuple[str, ...]) -> str:
        """A name from ``pool`` not yet taken, else a numbered one."""
        free = [p for p in pool if p not in self.used]
        return self.unique(self.rng.choice(free) if free else self.rng.choice(pool))

    def person(self) -> tuple[str, str, str]:
        """(full name, work e-mail, GitHub login), the e-mail and login unique."""
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        stem = self.unique(f"mail:{first.lower()}.{last.lower()}").removeprefix("mail:").replace("-", "")
        email = f"{stem}@{self.organization}.example"
        style = self.rng.integer(0, 3)
        login = (
            f"{first.lower()}{last.lower()}",
            f"{first.lower()}-{last.lower()}",
            f"{first[0].lower()}{last.lower()}",
            f"{first}{last}",
        )[style]
        login = self.unique(f"gh:{login.lower()}").removeprefix("gh:")
        return f"{first} {last}", email, _github_case(login, style, first, last)


def _github_case(login: str, style: int, first: str, last: str) -> str:
    """Logins keep the case style people choose (``JuliaWeber``), with any number suffix."""
    if style != 3:
        return login
    return f"{first}{last}" + login[len(first) + len(last) :]


def jira_account_id(organization: str, seed: int, person_id: str) -> str:
    """A 24-character lower-case hex id, like Jira Cloud's accountIds, fixed by the seed."""
    return hashlib.sha256(f"{organization}/{seed}/{person_id}".encode()).hexdigest()[:24]
