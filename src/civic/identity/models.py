"""Tables of the identity app: agencies, users and their roles, resident accounts, API clients,
one-time login codes. No rules live here; see services.py."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    """A public body using Civic: owns registers and services; the tenant boundary."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_nl = models.CharField(_("name in Dutch"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=[("municipality", _("municipality")), ("national", _("national agency"))],
        default="national",
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """Anyone who logs in: a staff member of an agency, or a resident."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("staff")
        RESIDENT = "resident", _("resident")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STAFF)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        help_text=_("The agency a staff member works for; their roles apply within it."),
    )
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("caseworker")
    SERVICE_OWNER = "service_owner", _("service owner")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("data protection officer")
    ADMINISTRATOR = "administrator", _("administrator")
    #: Runs and reads what-if reforms (figures over the population, never a person) and reads
    #: the algorithm register; sees no case and no personal data.
    POLICY_ADVISER = "policy_adviser", _("policy adviser")
    #: Watches the city's sensors and issues, updates and cancels public advisories; sees no
    #: case and no personal data.
    CITY_OPERATOR = "city_operator", _("city operator")


class StaffRole(models.Model):
    """One role of a staff member, scoped to the member's agency."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="unique_staff_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class StaffTeam(models.Model):
    """A staff member's membership of a team of their agency (a name case types give, such as
    "Privacy"). Teams narrow what a caseworker sees only where a case type asks for it: the
    data-subject requests, seen by the Privacy team and the data protection officer alone."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="teams")
    team = models.CharField(_("team"), max_length=60)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [models.UniqueConstraint(fields=["user", "team"], name="unique_staff_team")]

    def __str__(self) -> str:
        return f"{self.user} – {self.team}"


class ResidentAccount(models.Model):
    """A resident's login, tied to a person in the persons register by personal number."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="resident")
    personal_number = models.CharField(_("personal number"), max_length=9, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"resident {self.personal_number[:3]}******"


class ApiClient(models.Model):
    """A partner system of an agency that calls Civic's APIs. The secret is stored hashed."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="api_clients")
    name = models.CharField(_("name"), max_length=200)
    client_id = models.CharField(_("client id"), max_length=64, unique=True)
    secret_hash = models.CharField(max_length=64, help_text="SHA-256 of the secret, hex.")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Set by the installation's operator (`civic apiclient limits`, or the back office as
    # operator); empty means the installation's default (CIVIC_EXCHANGE_SUBJECTS_PER_*).
    subjects_per_minute = models.PositiveIntegerField(
        _("subjects a minute"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Most subjects the exchange releases to this client in a minute; empty: the default."
        ),
    )
    subjects_per_day = models.PositiveIntegerField(
        _("subjects a day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Most subjects the exchange releases to this client in a day; empty: the default."
        ),
    )

    class Meta:
        verbose_name = _("API client")

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"


class OneTimeCode(models.Model):
    """A resident's login code, delivered to their outbox; stored as a keyed hash.

    A code asked for on the login page works only in the browser session that asked for it
    (``binding_hash``), so asking for codes for someone else's number neither lets the asker
    guess that person's own code nor stops it working.
    """

    personal_number = models.CharField(max_length=9, db_index=True)
    code_hash = models.CharField(max_length=64)
    binding_hash = models.CharField(
        max_length=64, blank=True, help_text="Keyed hash of the asking session's nonce; empty: any."
    )
    requested_from = models.GenericIPAddressField(null=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)


class LoginEvent(models.Model):
    """A resident login attempt, successful or not (staff attempts are kept by django-axes)."""

    at = models.DateTimeField(db_index=True)
    method = models.CharField(max_length=20)
    personal_number_hint = models.CharField(
        max_length=9, help_text="First three digits only: enough to spot abuse, not to identify."
    )
    outcome = models.CharField(max_length=30)
    ip_address = models.GenericIPAddressField(null=True)

    class Meta:
        indexes = [
            # The login limits count an address's and everyone's recent failures.
            models.Index(fields=["ip_address", "outcome", "at"], name="login_event_address"),
            models.Index(fields=["outcome", "at"], name="login_event_outcome"),
        ]


class Authorisation(models.Model):
    """A resident lets another person act for them, for a scope and until a date."""

    class Scope(models.TextChoices):
        ALL = "all", _("Apply for services and look at my data")
        DATA = "data", _("Only look at my data")

    grantor = models.CharField(
        _("personal number of the person represented"), max_length=9, db_index=True
    )
    representative = models.CharField(
        _("personal number of the representative"), max_length=9, db_index=True
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.ALL)
    valid_until = models.DateField(_("valid until"))
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)


class RepresentationRefusal(models.Model):
    """An attempt to act for someone without a valid authorisation: refused, and kept here."""

    at = models.DateTimeField()
    actor_hint = models.CharField(max_length=9, help_text="First three digits only")
    represented_hint = models.CharField(max_length=9, help_text="First three digits only")
    where = models.CharField(max_length=100)


class StaffSecondFactor(models.Model):
    """A staff member's authenticator app (TOTP, RFC 6238), confirmed with a code at enrolment.

    The seed is kept encrypted (``identity.second_factor.sealing``) and is never shown again;
    deleting the row (a reset by an administrator) makes its owner enrol again at their next
    login and ends the sessions it let in.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="second_factor")
    secret = models.TextField(
        help_text="The TOTP seed, encrypted with a key derived from the secret key."
    )
    enrolled_at = models.DateTimeField()
    last_used_step = models.BigIntegerField(
        default=0,
        help_text="The newest 30-second step whose code was accepted: no code of it or of an "
        "earlier step is accepted again.",
    )
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    paused_until = models.DateTimeField(null=True, blank=True)
    demo = models.BooleanField(
        default=False,
        help_text="Made by `civic demo` with a secret it prints; `civic staff totp` shows its codes.",
    )

    class Meta:
        verbose_name = _("second factor")


class StaffRecoveryCode(models.Model):
    """One of the recovery codes shown once at enrolment; stored as a SHA-256 digest (each
    code carries 120 random bits, so a fast hash is safe)."""

    factor = models.ForeignKey(
        StaffSecondFactor, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["factor", "code_hash"], name="unique_recovery_code")
        ]
