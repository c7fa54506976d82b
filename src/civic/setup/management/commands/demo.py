"""civic demo: everything `make demo` does after installing, then serve on :8000.

The jurisdiction is set up as any installation is, by applying its set-up file
(src/civic/setup/data/havenstad/setup.yaml, `civic setup apply`); what only a demo has stays
here: staff with known passwords, the partner's client and secret, twelve weeks of history,
the modes that show each of off, shadow and deciding, and the first proactive run.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from civic.cases.demo import demo_history_ensure
from civic.compliance.training.services import training_current_until, training_record_add
from civic.core import clock
from civic.decisions.models import ProactiveRun
from civic.decisions.proactive import run_start
from civic.decisions.proactive_runner import run_execute
from civic.decisions.selectors import rule_set_modes
from civic.decisions.services import mode_set
from civic.decisions.shadow import shadow_replay
from civic.exchange import demo as demo_data
from civic.feedback.demo import consultations_demo_ensure, feedback_demo_ensure
from civic.identity import selectors as identity_selectors
from civic.identity import services
from civic.identity.models import Role, User
from civic.identity.selectors import agency_get
from civic.insights.flood_risk.services import flood_risk_assess, flood_risk_train
from civic.insights.services import maturity_record
from civic.notify.selectors import preference_get
from civic.notify.services import preference_set
from civic.opendata.services import datasets_regenerate
from civic.sensors.models import Observation, Rule
from civic.sensors.selectors import advisory_area
from civic.sensors.services import advisory_subscription_set
from civic.sensors.simulation.network import RIVER_RULE, network_ensure
from civic.sensors.simulation.run import simulate
from civic.setup.services import DEMO_PARTNER_SETUP, DEMO_SETUP, setup_apply

DEMO_AGENCY = "havenstad"
#: Days of hourly river and rain readings before yesterday: what the flood-risk model learns from.
FLOOD_RISK_HISTORY_DAYS = 730
DEMO_STAFF = (
    # user name, password, roles, full name, agency
    ("caseworker", "demo-caseworker-2026", [Role.CASEWORKER], ("Carla", "de Vries"), DEMO_AGENCY),
    ("serviceowner", "demo-serviceowner-2026", [Role.SERVICE_OWNER], ("Sam", "Jansen"),
     DEMO_AGENCY),
    ("dpo", "demo-dpo-2026", [Role.DATA_PROTECTION_OFFICER], ("Dana", "Visser"), DEMO_AGENCY),
    ("admin", "demo-admin-2026", [Role.ADMINISTRATOR], ("Ali", "Bakker"), DEMO_AGENCY),
    ("policy", "demo-policy-2026", [Role.POLICY_ADVISER], ("Pim", "Smit"), DEMO_AGENCY),
    ("cityops", "demo-cityops-2026", [Role.CITY_OPERATOR], ("Cas", "Mulder"), DEMO_AGENCY),
    # The Tax Administration's allowances team: rent benefit cases.
    ("allowances", "demo-allowances-2026", [Role.CASEWORKER], ("Noor", "Hendriks"),
     "tax-administration"),
)  # fmt: skip
DEMO_OPERATOR = ("operator", "demo-operator-2026")


def demo_authenticator_key(username: str) -> str:
    """The demo account's authenticator seed: the same on every demo installation (it is
    printed in the banner, like the password), 32 base-32 characters."""
    digest = hashlib.sha256(f"civic demo authenticator {username}".encode()).digest()
    return base64.b32encode(digest).decode()[:32]


#: The demo shows each mode: dog tax decided by the rules, parking permits shadowed (the set-up
#: file gives a new installation's modes; these are chosen as a service owner would).
#: What the demo's service owner chose (the set-up gives a new installation its modes: school
#: clothing grant deciding, dog tax and parking permits off); each choice is recorded with the
#: service owner's name, as the algorithm register says.
DEMO_MODES = {
    "school-clothing-grant": "deciding",
    "dog-tax": "deciding",
    "parking-permit": "shadow",
}


class Command(BaseCommand):
    help = "Prepare the demo (migrate, generate the jurisdiction once, demo logins) and serve it."

    def add_arguments(self, parser):
        parser.add_argument("--residents", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-serve", action="store_true", help="prepare only; do not start the server"
        )

    def handle(self, *args, residents, seed, bind, no_serve, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "civic demo makes well-known demo passwords; it refuses to run with CIVIC_ENV=production."
            )
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if not demo_data.jurisdiction_exists():
            self.stdout.write(
                f"Generating the demo jurisdiction ({residents:,} residents, seed {seed}); this happens once."
            )
            with tqdm(total=residents, unit=" residents", unit_scale=True, file=sys.stderr) as bar:
                demo_data.jurisdiction_generate(residents=residents, seed=seed, progress=bar.update)
        applied = setup_apply(path=DEMO_SETUP)
        if applied.changed:
            made = sum(len(c.touches) for c in applied.changes)
            self.stdout.write(
                f"Set up the demo jurisdiction from {DEMO_SETUP.name} ({made} items)."
            )
        staff = self._demo_staff()
        resident = demo_data.demo_resident()
        partner = demo_data.partner_ensure()
        setup_apply(path=DEMO_PARTNER_SETUP)
        self._demo_resident_mail(resident)

        made = demo_history_ensure()
        if made:
            self.stdout.write(
                f"Made {made:,} demo applications over the last year for the workbench."
            )
        self._demo_rules()
        self._demo_sensors(resident)
        self._demo_feedback()
        self._demo_open_data()
        self._demo_consultations()
        self._demo_maturity()
        self._banner(bind, staff, resident, partner, time.perf_counter() - started)
        if not no_serve:
            call_command("serve", bind=bind)

    def _demo_rules(self) -> None:
        """The demo's modes after the history (the past was decided by caseworkers), chosen
        by the demo's service owner unless someone chose already; then the first proactive
        run, so every resident's offers are there when the demo opens."""

        owner = User.objects.get(username="serviceowner")
        chosen = rule_set_modes()
        for case_type, mode in DEMO_MODES.items():
            if not chosen.get(case_type, {}).get("changed_at"):
                mode_set(case_type=case_type, mode=mode, user=owner)
        compared = shadow_replay(case_type="parking-permit")
        if compared:
            self.stdout.write(f"Compared the rules with {compared} past parking decisions.")
        if ProactiveRun.objects.filter(
            status=ProactiveRun.Status.DONE, trigger=ProactiveRun.Trigger.NIGHTLY
        ).exists():
            return
        self.stdout.write("Checking every household for proactive offers (once).")
        run = run_start(trigger=ProactiveRun.Trigger.NIGHTLY)
        total = run.chunks.count()
        with tqdm(total=total, unit=" chunks", file=sys.stderr) as bar:
            run_execute(run, progress=lambda i, _total: bar.update(i - bar.n))

    def _demo_sensors(self, resident: str) -> None:
        """Yesterday's readings of the demo city's sensors (once), with a downpour in the
        early morning that takes the river past its high level in the afternoon and back; the
        river gauges' rules (docs/sensors.md) raise the high-water event as it happens, and
        issue a public advisory and its all-clear. The demo resident asked for warnings about
        their home and about the neighbourhood by the Havenbrug gauge, where they work, so
        both reach their inbox.

        Before that, two years of the river gauges' and the rain gauge's hourly readings, from
        which the flood-risk model learns (docs/insights.md); it then assesses yesterday hour
        by hour, as the hourly task would have, drafting a warning for the operators as the
        downpour began and withdrawing it when the chance had passed."""
        if Observation.objects.exists():
            return
        yesterday = dt.datetime.combine(
            clock.today() - dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC
        )
        # Before the rules exist, so that the history raises no events and sends no advisory.
        history = simulate(
            since=yesterday - dt.timedelta(days=FLOOD_RISK_HISTORY_DAYS),
            until=yesterday,
            step_minutes=60,
            seed=2,
            kinds=("river", "rain"),
        )
        streams = network_ensure()
        rules = [
            Rule.objects.get_or_create(
                datastream_id=streams[(gauge, "water_level")],
                name="High water",
                defaults=RIVER_RULE,
            )[0]
            for gauge in ("river-havenbrug", "river-molenkade")
        ]
        work = advisory_area(rules[0])[0][:1]
        advisory_subscription_set(personal_number=resident, home=True, neighbourhoods=work)
        outcome = simulate(
            since=yesterday,
            until=yesterday + dt.timedelta(days=1),
            incident=yesterday + dt.timedelta(hours=4),
        )
        self.stdout.write(
            f"Simulated yesterday's sensor readings ({outcome.stored:,}, /sta/v1.1/), with the "
            "river rising past its high level in the afternoon: advisories at /advisories/; "
            f"and {history.stored:,} hourly readings of the two years before."
        )
        model = flood_risk_train(until=yesterday)
        drafted = set()
        for hour in range(1, 25):
            for assessment in flood_risk_assess(at=yesterday + dt.timedelta(hours=hour)):
                if assessment.advisory_id:
                    drafted.add(assessment.advisory_id)
        self.stdout.write(
            f"Flood-risk model trained (Brier skill {model.evaluation['skill']:.2f} against "
            f"climatology) and yesterday assessed hour by hour, {len(drafted)} warning(s) drafted "
            "for the operators: /performance/flood-risk/."
        )

    def _demo_open_data(self) -> None:
        """The open datasets built as the nightly task builds them, so the catalogue (/data/,
        the CKAN API, the DCAT-AP catalogue) has them when the demo opens; a dataset whose
        content has not changed keeps its version."""
        outcome = datasets_regenerate()
        failed = sorted(name for name, result in outcome.items() if result == "failed")
        self.stdout.write(f"Published {len(outcome) - len(failed)} open datasets (/data/).")
        if failed:
            self.stderr.write(f"Not published (see `civic opendata status`): {', '.join(failed)}")

    def _demo_feedback(self) -> None:
        """Half a year of residents' ratings and a few comments, for the service owner's page."""
        made = feedback_demo_ensure(owner=User.objects.get(username="serviceowner"))
        if made:
            self.stdout.write(f"{made:,} answers of residents' feedback (/staff/feedback/).")

    def _demo_consultations(self) -> None:
        """Two consultations of the municipality: one run to its published result, one open."""
        if consultations_demo_ensure(owner=User.objects.get(username="serviceowner")):
            self.stdout.write("Two consultations (/consultations/): one with its result, one open.")

    def _demo_maturity(self) -> None:
        """Today's digital-maturity index, as the daily task records it (/performance/maturity/)."""
        snapshot = maturity_record()
        self.stdout.write(
            f"Digital-maturity index {snapshot.index} (/performance/maturity/), in {snapshot.seconds:.1f} s."
        )

    def _demo_staff(self) -> list[tuple[str, str, str]]:

        lines = []
        for username, password, roles, (first, last), agency in DEMO_STAFF:
            if not User.objects.filter(username=username).exists():
                services.staff_user_create(
                    username=username,
                    agency=agency_get(code=agency),
                    roles=list(roles),
                    password=password,
                    first_name=first,
                    last_name=last,
                )
            lines.append((roles[0].label, username, password))
        # The installation's operator: a superuser of no agency, who adds agencies and edits
        # what every agency shares (message texts, life events); an agency's administrator
        # cannot (docs/security.md).
        if not User.objects.filter(username=DEMO_OPERATOR[0]).exists():
            User.objects.create_superuser(
                username=DEMO_OPERATOR[0], password=DEMO_OPERATOR[1], email="", kind=User.Kind.STAFF
            )
        lines.append(("installation operator", *DEMO_OPERATOR))
        # Staff read personal data only with current data-protection training (compliance):
        # the demo's staff completed the course today, or on the demo's last run.
        for _role, username, _password in lines:
            user = User.objects.get(username=username)
            if user.agency_id and training_current_until(user_id=user.pk) is None:
                training_record_add(user=user)
        # Staff log in with a code from an authenticator app too: the demo accounts get one
        # whose seed the banner prints (and `civic staff totp` turns into the current code).
        for _role, username, _password in lines:
            user = User.objects.get(username=username)
            if identity_selectors.second_factor_get(user=user) is None:
                services.second_factor_install(
                    user=user, secret=demo_authenticator_key(username), demo=True
                )
        return lines

    def _demo_resident_mail(self, resident: str) -> None:
        """The demo resident hears of new inbox messages by e-mail too, so the outbox shows it."""

        if preference_get(personal_number=resident) is None:
            preference_set(
                personal_number=resident, email=f"resident-{resident}@example.org", by_email=True
            )

    def _banner(self, bind, staff, resident, partner, seconds) -> None:
        client_id, secret = partner
        url = f"http://{bind}"
        out = [
            "",
            f"Civic demo ready in {seconds:.1f} s: {url}/",
            "",
            "Log in as a resident:",
            f"  {url}/login/  ->  'Log in with a one-time code', personal number {resident}",
            "  the code is written to var/outbox/ and printed in this terminal when you ask for it",
            f"  then apply online, prefilled from the registers: {url}/services/parking-permit/,",
            f"  {url}/services/special-assistance/, {url}/services/housing-allowance/ or "
            f"{url}/services/dog-tax/; follow it at {url}/my/cases/",
            "  (on a case's page you can send a document, such as a payslip: it is read, and what",
            "  it says is added to the case)",
            "  (your inbox is at /my/inbox/; its messages also go to var/outbox/ as e-mail)",
            "",
            f"Log in as staff at {url}/staff/login/, then with a code from an authenticator app:",
            *[
                f"  {role!s:24} user {username:13} password {password:24} "
                f"authenticator key {demo_authenticator_key(username)}"
                for role, username, password in staff
            ],
            "  add a key to any authenticator app (time-based, 6 digits), or print the code to",
            "  type now: .venv/bin/civic staff totp caseworker",
            "  (the administrator, the service owner and the operator also reach the back office at /admin/)",
            f"  the caseworker works the queue at {url}/staff/cases/ and its backlog at {url}/staff/cases/backlog/",
            f"  the city operator watches the sensors and advisories at {url}/staff/sensors/",
            f"  (public advisories: {url}/advisories/, their Atom feed {url}/advisories/feed.atom)",
            "",
            "Try the exchange API as the demo partner (a child benefit system of the Social Insurance Bank):",
            f"  client id {client_id}   secret {secret}",
            f"  curl -u {client_id}:{secret} -H 'Content-Type: application/json' \\",
            f'    -d \'{{"subjects": ["{resident}"], "fields": ["identity.given_names", "identity.birth_date", '
            f'"parentage.child"], "purpose": "child-benefit-assessment"}}\' \\',
            f"    {url}/api/exchange/v1/persons/query",
            f"  what it may ask: curl -u {client_id}:{secret} {url}/api/exchange/v1/allowed",
            "  its webhook hears of moves: subscribe (a receiver of yours at http://127.0.0.1:9000/),",
            f"  curl -u {client_id}:{secret} -H 'Content-Type: application/json' \\",
            '    -d \'{"register": "persons", "purpose": "child-benefit-assessment", '
            '"event_types": ["org.civic.persons.moved"], "url": "http://127.0.0.1:9000/events"}\' \\',
            f"    {url}/api/exchange/v1/subscriptions",
            f"  then move the resident: .venv/bin/civic registers move --person {resident} "
            f"--address {demo_data.demo_move_target(personal_number=resident)}",
            f"  API documentation: {url}/api/docs",
            "",
        ]
        self.stdout.write("\n".join(out))
