"""The fixed vocabulary of the organization fixture (``fixtures_org``): columns, names,
locations, levels and pay, titles, divisions with their team pools, and monthly rates.
Nothing here depends on the seed."""

from __future__ import annotations

FORMATS = ("people", "org", "catalog", "codeowners", "identities", "workday", "bad")

PEOPLE_COLUMNS = (
    "id", "name", "email", "emails", "title", "level", "role", "manager_id", "team", "location",
    "employment_type", "start_date", "end_date", "annual_cost", "regretted", "github",
)  # fmt: skip

WORKDAY_COLUMNS = (
    ("Employee Number", "id"),
    ("Worker", "name"),
    ("Work Email", "email"),
    ("Additional Email Addresses", "emails"),
    ("Business Title", "title"),
    ("Job Level", "level"),
    ("Job Family", "role"),
    ("Supervisor Employee Number", "manager_id"),
    ("Supervisor Name", None),
    ("Department", "team"),
    ("Cost Center", None),
    ("Location", "location"),
    ("Worker Type", "employment_type"),
    ("Hire Date", "start_date"),
    ("Termination Date", "end_date"),
    ("Total Cost", "annual_cost"),
    ("Regrettable Termination", "regretted"),
    ("GitHub Username", "github"),
)
WORKDAY_DATE_FORMAT = "%m/%d/%Y"

ORG_DOMAIN = "example.com"
OLD_DOMAIN = "example.org"
GITHUB_ORG = "example"
MONOREPO = "monorepo"


FIRST_NAMES = (  # noqa: SIM905 - a readable block of names
    "Aaliyah Ada Aisha Alejandro Alice Amara Amir Ana Anders Andrea Anika Anja Arjun Astrid Ayumi "
    "Beatriz Ben Björn Carla Carlos Chen Chidi Chloe Clara Daniel Daniela David Deepa Diego Dmitri "
    "Elena Elif Emil Emily Emma Erik Esther Ewa Fatima Felix Fernando Freya Gabriel Grace Hana Hannah "
    "Hassan Henrik Ines Ingrid Isabel Ivan Jakub James Jana Javier Jennifer Jessica Jin João Jonas "
    "José Julia Kai Karin Kenji Kofi Kwame Lars Laura Lea Leila Leon Leonie Lina Linda Lucas Lucía "
    "Luis Łukasz Maja Malik Marco Marcus Maria Mariam Marta Mateo Mathilde Max Mei Mia Michael Miguel "
    "Mohammed Nadia Naomi Ngozi Nikhil Nina Noah Nora Olga Oliver Omar Oscar Owen Pablo Paula Pedro "
    "Piotr Priya Rachel Rafael Rahul Ravi Robert Rosa Ruth Sakura Samuel Sara Sean Sebastian "
    "Siddharth Sofia Sunita Søren Tanvi Tariq Thomas Tomás Tyler Valentina Victor Vikram Wei Yara "
    "Yusuf Zainab Zoë"
).split()

LAST_NAMES = (  # noqa: SIM905
    "Abbott|Adeyemi|Ahmed|Almeida|Andersson|Bauer|Becker|Bianchi|Brown|Carvalho|Chen|Costa|Cruz|"
    "Dąbrowski|Das|Davies|De Souza|Dubois|Eriksson|Fernandes|Fischer|Fontaine|García|Gomes|González|"
    "Gupta|Hansen|Hartmann|Hernández|Hoffmann|Hughes|Ibrahim|Ivanova|Jansen|Jensen|Johansson|"
    "Johnson|Kaur|Keller|Khan|Kim|Klein|Koch|Kowalski|Krause|Kumar|Lange|Larsen|Lee|Lehmann|Li|Lima|"
    "Lindqvist|Liu|López|Martin|Martínez|Mendes|Mensah|Meyer|Moreau|Müller|Murphy|Nakamura|Neumann|"
    "Nguyen|Nielsen|Novak|Nowak|O'Brien|Okafor|Oliveira|Olsen|Park|Patel|Pereira|Petrov|Popescu|"
    "Quinn|Ramos|Reddy|Richter|Rodrigues|Rossi|Santos|Sato|Schäfer|Schmidt|Schneider|Schulz|Shah|"
    "Silva|Singh|Smith|Smith-Jones|Sousa|Suzuki|Tanaka|Taylor|Thompson|van der Berg|Vogel|Wagner|"
    "Walker|Wang|Weber|Williams|Wilson|Wolf|Wright|Yamamoto|Yilmaz|Zhang|Zimmermann|Øvergaard"
).split("|")

# Locations with a skewed distribution (weights) and a cost multiplier (per mille).
LOCATIONS = (
    ("Berlin", 34, 1000),
    ("London", 18, 1150),
    ("New York", 14, 1680),
    ("Lisbon", 12, 720),
    ("Toronto", 9, 1100),
    ("Bangalore", 8, 420),
    ("Remote", 5, 1300),
)
LOC_MULT = {name: mult for name, _, mult in LOCATIONS}

IC_LEVELS = ("IC1", "IC2", "IC3", "IC4", "IC5", "IC6")
BASE_COST = {
    "IC1": 62000, "IC2": 76000, "IC3": 95000, "IC4": 118000, "IC5": 140000, "IC6": 165000,
    "M1": 122000, "M2": 142000, "M3": 170000, "M4": 215000,
}  # fmt: skip
ROLE_MULT = {
    "engineer": 1000,
    "site reliability engineer": 1040,
    "data scientist": 1030,
    "QA engineer": 900,
    "product manager": 1020,
    "designer": 950,
    "engineering manager": 1000,
    "director": 1000,
}
IC_TITLES = {
    "engineer": ("Software Engineer I", "Software Engineer II", "Senior Software Engineer",
                 "Staff Engineer", "Senior Staff Engineer", "Principal Engineer"),
    "site reliability engineer": ("Site Reliability Engineer I", "Site Reliability Engineer II",
                                  "Senior Site Reliability Engineer", "Staff Site Reliability Engineer",
                                  "Senior Staff Site Reliability Engineer",
                                  "Principal Site Reliability Engineer"),
    "data scientist": ("Data Scientist I", "Data Scientist II", "Senior Data Scientist",
                       "Staff Data Scientist", "Senior Staff Data Scientist", "Principal Data Scientist"),
    "QA engineer": ("QA Engineer I", "QA Engineer II", "Senior QA Engineer", "Staff QA Engineer",
                    "Senior Staff QA Engineer", "Principal QA Engineer"),
    "product manager": ("Associate Product Manager", "Product Manager", "Senior Product Manager",
                        "Group Product Manager", "Principal Product Manager", "Principal Product Manager"),
    "designer": ("Associate Product Designer", "Product Designer", "Senior Product Designer",
                 "Staff Product Designer", "Principal Product Designer", "Principal Product Designer"),
}  # fmt: skip
CONTRACT_TITLES = {
    "engineer": "Contract Software Engineer",
    "site reliability engineer": "Contract Site Reliability Engineer",
    "data scientist": "Contract Data Scientist",
    "QA engineer": "Contract QA Engineer",
    "product manager": "Contract Product Manager",
    "designer": "Contract Product Designer",
}
MANAGER_TITLES = {
    "M1": "Engineering Manager",
    "M2": "Senior Engineering Manager",
    "M3": "Director of Engineering",
    "M4": "VP of Engineering",
}
# Roles of individual contributors by team type (weights).
ROLE_MIX = {
    "stream-aligned": (("engineer", 76), ("product manager", 8), ("designer", 7), ("QA engineer", 6),
                       ("data scientist", 3)),
    "platform": (("engineer", 64), ("site reliability engineer", 30), ("product manager", 4),
                 ("QA engineer", 2)),
    "enabling": (("engineer", 80), ("site reliability engineer", 10), ("designer", 10)),
    "complicated-subsystem": (("engineer", 58), ("data scientist", 36), ("product manager", 6)),
}  # fmt: skip
HIRE_LEVELS = (("IC1", 12), ("IC2", 30), ("IC3", 33), ("IC4", 17), ("IC5", 6), ("IC6", 2))
INITIAL_LEVELS = (("IC1", 8), ("IC2", 25), ("IC3", 35), ("IC4", 20), ("IC5", 9), ("IC6", 3))

# Divisions and their team pools: (id, display name, type).
DIVISIONS = (
    ("platform", "Platform", (
        ("developer-experience", "Developer Experience", "enabling"),
        ("build-and-release", "Build and Release", "platform"),
        ("cloud-infrastructure", "Cloud Infrastructure", "platform"),
        ("observability", "Observability", "platform"),
        ("identity-and-access", "Identity and Access", "platform"),
        ("api-gateway", "API Gateway", "platform"),
        ("storage", "Storage", "complicated-subsystem"),
        ("networking", "Networking", "platform"),
        ("security-engineering", "Security Engineering", "enabling"),
        ("sre-core", "SRE Core", "platform"),
        ("service-mesh", "Service Mesh", "platform"),
        ("compute", "Compute", "platform"),
        ("developer-portal", "Developer Portal", "platform"),
        ("secrets-management", "Secrets Management", "complicated-subsystem"),
        ("edge-delivery", "Edge Delivery", "platform"),
    )),
    ("commerce", "Commerce", (
        ("payments", "Payments", "stream-aligned"),
        ("checkout", "Checkout", "stream-aligned"),
        ("billing", "Billing", "stream-aligned"),
        ("pricing", "Pricing", "stream-aligned"),
        ("subscriptions", "Subscriptions", "stream-aligned"),
        ("invoicing", "Invoicing", "stream-aligned"),
        ("fraud-detection", "Fraud Detection", "complicated-subsystem"),
        ("tax", "Tax", "complicated-subsystem"),
        ("orders", "Orders", "stream-aligned"),
        ("merchant-tools", "Merchant Tools", "stream-aligned"),
        ("refunds", "Refunds", "stream-aligned"),
        ("payouts", "Payouts", "stream-aligned"),
        ("ledger", "Ledger", "complicated-subsystem"),
        ("promotions", "Promotions", "stream-aligned"),
        ("marketplace", "Marketplace", "stream-aligned"),
    )),
    ("growth", "Growth", (
        ("onboarding", "Onboarding", "stream-aligned"),
        ("activation", "Activation", "stream-aligned"),
        ("notifications", "Notifications", "platform"),
        ("experimentation", "Experimentation", "enabling"),
        ("referrals", "Referrals", "stream-aligned"),
        ("marketing-site", "Marketing Site", "stream-aligned"),
        ("seo", "SEO", "stream-aligned"),
        ("lifecycle-messaging", "Lifecycle Messaging", "stream-aligned"),
        ("retention", "Retention", "stream-aligned"),
        ("growth-analytics", "Growth Analytics", "enabling"),
        ("paid-acquisition", "Paid Acquisition", "stream-aligned"),
        ("partnerships", "Partnerships", "stream-aligned"),
        ("localization", "Localization", "enabling"),
        ("email-platform", "Email Platform", "platform"),
    )),
    ("data", "Data and ML", (
        ("analytics-engineering", "Analytics Engineering", "platform"),
        ("ml-platform", "ML Platform", "platform"),
        ("recommendations", "Recommendations", "complicated-subsystem"),
        ("search", "Search", "stream-aligned"),
        ("search-relevance", "Search Relevance", "complicated-subsystem"),
        ("forecasting", "Forecasting", "complicated-subsystem"),
        ("data-ingestion", "Data Ingestion", "platform"),
        ("reporting", "Reporting", "stream-aligned"),
        ("data-quality", "Data Quality", "enabling"),
        ("data-warehouse", "Data Warehouse", "platform"),
        ("feature-store", "Feature Store", "complicated-subsystem"),
        ("streaming", "Streaming", "platform"),
        ("ml-serving", "ML Serving", "complicated-subsystem"),
        ("data-governance", "Data Governance", "enabling"),
    )),
    ("apps", "Client Apps", (
        ("ios", "iOS", "stream-aligned"),
        ("android", "Android", "stream-aligned"),
        ("web-foundations", "Web Foundations", "platform"),
        ("design-system", "Design System", "enabling"),
        ("mobile-platform", "Mobile Platform", "platform"),
        ("accessibility", "Accessibility", "enabling"),
        ("desktop", "Desktop", "stream-aligned"),
        ("offline-sync", "Offline Sync", "complicated-subsystem"),
        ("web-app", "Web App", "stream-aligned"),
        ("mobile-releases", "Mobile Releases", "enabling"),
        ("tv-apps", "TV Apps", "stream-aligned"),
        ("browser-extension", "Browser Extension", "stream-aligned"),
        ("app-performance", "App Performance", "enabling"),
        ("watch-apps", "Watch Apps", "stream-aligned"),
    )),
    ("core", "Core Product", (
        ("accounts", "Accounts", "stream-aligned"),
        ("messaging", "Messaging", "stream-aligned"),
        ("collaboration", "Collaboration", "stream-aligned"),
        ("scheduling", "Scheduling", "stream-aligned"),
        ("integrations", "Integrations", "stream-aligned"),
        ("admin-console", "Admin Console", "stream-aligned"),
        ("content", "Content", "stream-aligned"),
        ("media", "Media", "complicated-subsystem"),
        ("workflow-engine", "Workflow Engine", "complicated-subsystem"),
        ("files", "Files", "stream-aligned"),
        ("permissions", "Permissions", "complicated-subsystem"),
        ("audit-log", "Audit Log", "stream-aligned"),
        ("calendar", "Calendar", "stream-aligned"),
        ("public-api", "Public API", "stream-aligned"),
        ("realtime", "Realtime", "complicated-subsystem"),
    )),
)  # fmt: skip
SPLIT_SUFFIXES = (("core", "Core"), ("experience", "Experience"), ("foundations", "Foundations"),
                  ("insights", "Insights"))  # fmt: skip
SERVICE_SUFFIXES = (("api", "API"), ("service", "Service"), ("worker", "Worker"), ("web", "Web"),
                    ("jobs", "Jobs"), ("gateway", "Gateway"))  # fmt: skip
APP_SUFFIXES = (("app", "App"), ("sdk", "SDK"), ("bff", "BFF"), ("api", "API"))

# Rates, per mille of the eligible people each month.
LEAVE_RATE = 11  # about 13 % a year
PROMOTION_RATE = 12
TRANSFER_RATE = 6
RAISE_MONTH = 4  # April
