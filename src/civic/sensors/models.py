"""The eight SensorThings 1.1 entities. Geometry is GeoJSON kept in JSON fields (no PostGIS
here): geo filters run in Python with shapely on the candidate rows (sensors/odata.py).

Observations are the volume table: one compact row each (a number result in its own column,
any other result in JSON), written in batches by services.observations_ingest (COPY on
PostgreSQL). A datastream's summary (latest result, phenomenon time range) is updated once per
batch, never by a per-row trigger."""

from django.db import models


class _Described(models.Model):
    name = models.CharField(max_length=255)
    description = models.TextField(blank=True, default="")
    properties = models.JSONField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Location(_Described):
    encoding_type = models.CharField(max_length=100, default="application/geo+json")
    location = models.JSONField()


class Thing(_Described):
    locations = models.ManyToManyField(Location, related_name="things", blank=True)


class HistoricalLocation(models.Model):
    time = models.DateTimeField()
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="historical_locations")
    locations = models.ManyToManyField(Location, related_name="historical_locations")


class Sensor(_Described):
    encoding_type = models.CharField(max_length=100)
    metadata = models.TextField()


class ObservedProperty(_Described):
    definition = models.CharField(max_length=500)


class FeatureOfInterest(_Described):
    encoding_type = models.CharField(max_length=100, default="application/geo+json")
    feature = models.JSONField()


class Datastream(_Described):
    observation_type = models.CharField(max_length=255)
    unit_of_measurement = models.JSONField()
    observed_area = models.JSONField(null=True, blank=True)
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="datastreams")
    sensor = models.ForeignKey(Sensor, on_delete=models.PROTECT, related_name="datastreams")
    observed_property = models.ForeignKey(
        ObservedProperty, on_delete=models.PROTECT, related_name="datastreams"
    )
    # The summary, kept by the ingest once per batch.
    phenomenon_time_start = models.DateTimeField(null=True, blank=True)
    phenomenon_time_end = models.DateTimeField(null=True, blank=True)
    result_time_start = models.DateTimeField(null=True, blank=True)
    result_time_end = models.DateTimeField(null=True, blank=True)
    latest_result = models.JSONField(null=True, blank=True)
    latest_phenomenon_time = models.DateTimeField(null=True, blank=True)


class Observation(models.Model):
    id = models.BigAutoField(primary_key=True)
    datastream = models.ForeignKey(
        Datastream, on_delete=models.CASCADE, related_name="observations"
    )
    phenomenon_time = models.DateTimeField()
    phenomenon_time_end = models.DateTimeField(null=True, blank=True)
    result_time = models.DateTimeField(null=True, blank=True)
    # A number (most readings) in a float column that filters and orders as a number; any
    # other result (text, boolean, object) in result_json.
    result_number = models.FloatField(null=True, blank=True)
    result_json = models.JSONField(null=True, blank=True)
    result_quality = models.JSONField(null=True, blank=True)
    parameters = models.JSONField(null=True, blank=True)
    feature_of_interest = models.ForeignKey(
        FeatureOfInterest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
    )

    class Meta:
        constraints = [
            # One reading per datastream and instant: a repeat is a duplicate, refused.
            models.UniqueConstraint(
                fields=["datastream", "phenomenon_time"], name="sensors_observation_one_per_instant"
            )
        ]

    @property
    def result(self):
        return self.result_number if self.result_json is None else self.result_json


class Refusal(models.Model):
    """Readings refused, counted per datastream (none for an unknown one) and reason, so the
    operator sees what the stream lost; a refusal never stops the rest of a batch."""

    datastream_ref = models.BigIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=40)
    count = models.BigIntegerField(default=0)
    last_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["datastream_ref", "reason"], name="sensors_refusal_once"
            )
        ]


class ObservationAggregate(models.Model):
    """An hour's or a day's numeric readings of a datastream, summed up: what is kept once the
    raw readings are past their retention (civic sensors retention)."""

    class Period(models.TextChoices):
        HOUR = "hour", "hour"
        DAY = "day", "day"

    datastream = models.ForeignKey(Datastream, on_delete=models.CASCADE, related_name="aggregates")
    period = models.CharField(max_length=4, choices=Period.choices)
    start = models.DateTimeField(help_text="The hour's or the day's start, UTC.")
    count = models.PositiveIntegerField()
    minimum = models.FloatField()
    maximum = models.FloatField()
    mean = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["datastream", "period", "start"], name="sensors_aggregate_one_per_period"
            )
        ]


class Rule(models.Model):
    """What an operator watches a datastream for: a level crossed for long enough (with a
    lower level to clear, so a reading hovering at the line does not flap), a rise too fast,
    and the signs of a faulty sensor, which are told apart from real events."""

    name = models.CharField(max_length=200)
    datastream = models.ForeignKey(Datastream, on_delete=models.CASCADE, related_name="rules")
    active = models.BooleanField(default=True)
    #: Raised when readings stay above ``level`` for ``duration_minutes``; cleared below
    #: ``clear_level``.
    level = models.FloatField(null=True, blank=True)
    clear_level = models.FloatField(null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(default=0)
    #: Raised when the value rises more than this per hour (over the last hour's readings).
    rise_per_hour = models.FloatField(null=True, blank=True)
    #: Faults: a reading outside [valid_min, valid_max], the same value for
    #: ``flatline_minutes``, or no reading for ``gap_minutes``.
    valid_min = models.FloatField(null=True, blank=True)
    valid_max = models.FloatField(null=True, blank=True)
    flatline_minutes = models.PositiveIntegerField(null=True, blank=True)
    gap_minutes = models.PositiveIntegerField(null=True, blank=True)
    #: Raised when a reading is further from the median of the same hour of the day over the
    #: previous four weeks than this many robust standard deviations (1.4826 × MAD).
    anomaly_deviations = models.FloatField(null=True, blank=True)
    #: CAP 1.2 severity of the events it raises (Minor, Moderate, Severe, Extreme).
    severity = models.CharField(max_length=10, default="Moderate")

    class AdvisoryMode(models.TextChoices):
        NONE = "none", "no advisory"
        DRAFT = "draft", "drafted for an operator to review"
        AUTO = "auto", "issued at once"

    #: What an event of this rule (never a fault) does to the public: nothing, a draft CAP
    #: advisory an operator reviews, or one issued at once (and cancelled when it clears).
    advisory = models.CharField(
        max_length=5, choices=AdvisoryMode.choices, default=AdvisoryMode.NONE
    )
    #: The advisory's area: the neighbourhoods whose centre lies within this many metres of
    #: the datastream's place.
    advisory_radius_m = models.PositiveIntegerField(default=1500)
    #: CAP 1.2 category of its advisories (Met for weather and water, Env, Health, Transport…).
    advisory_category = models.CharField(max_length=10, default="Met")
    #: Per language code, the advisory's ``event`` ("High water") and ``instruction`` (what
    #: to do); a language left out gets a plain text made from the datastream.
    advisory_texts = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.name


class Event(models.Model):
    """A rule's finding: a real event (a level crossed, a rise) or a sensor fault, open until
    it clears. Faults go to the operator; only events may become public advisories."""

    class Kind(models.TextChoices):
        LEVEL = "level", "level crossed"
        RISE = "rise", "rapid rise"
        ANOMALY = "anomaly", "unusual for the hour"
        FAULT = "fault", "sensor fault"

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=7, choices=Kind.choices)
    reason = models.CharField(max_length=200)
    started_at = models.DateTimeField(help_text="Phenomenon time the condition began.")
    raised_at = models.DateTimeField(
        help_text="Phenomenon time it was raised (after the duration)."
    )
    cleared_at = models.DateTimeField(null=True, blank=True)
    peak = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "kind"],
                condition=models.Q(cleared_at__isnull=True),
                name="sensors_event_one_open_per_rule_and_kind",
            )
        ]


class Advisory(models.Model):
    """One CAP 1.2 message to the public: an alert, an update of one, or its cancellation,
    drafted by a rule's event or by an operator, in English and Dutch. Issued messages are
    never changed: an update or a cancellation is a new message that references the one
    before (``supersedes``), as CAP has it."""

    class MessageType(models.TextChoices):
        ALERT = "Alert", "alert"
        UPDATE = "Update", "update"
        CANCEL = "Cancel", "cancellation"

    class State(models.TextChoices):
        DRAFT = "draft", "draft"
        ISSUED = "issued", "issued"
        DISCARDED = "discarded", "discarded"

    identifier = models.CharField(max_length=100, unique=True)
    agency = models.CharField(max_length=50, help_text="The issuing agency's code.")
    message_type = models.CharField(max_length=6, choices=MessageType.choices)
    state = models.CharField(max_length=9, choices=State.choices, default=State.DRAFT)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="successors"
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="advisories"
    )
    #: What drafted it when no rule's event did, e.g. the flood-risk forecast.
    drafted_by = models.CharField(max_length=100, blank=True, default="")
    category = models.CharField(max_length=10, default="Met")
    urgency = models.CharField(max_length=10, default="Immediate")
    severity = models.CharField(max_length=10, default="Moderate")
    certainty = models.CharField(max_length=10, default="Observed")
    #: Per language code: event, headline, description, instruction, area.
    texts = models.JSONField()
    #: Neighbourhood codes of the area, and the circle around the place ("lat,lon radius_km").
    neighbourhoods = models.JSONField(default=list)
    circle = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField()
    effective = models.DateTimeField(help_text="When the condition began (or begins).")
    expires = models.DateTimeField(null=True, blank=True)
    sent = models.DateTimeField(null=True, blank=True, help_text="When it was issued.")
    issued_by = models.CharField(max_length=150, blank=True)
    recipients = models.PositiveIntegerField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "sent"], name="sensors_advisory_state_sent")]

    def __str__(self) -> str:
        return self.identifier


class AdvisorySubscription(models.Model):
    """A resident's wish to hear of advisories: for where they live (read from the persons
    register when an advisory is sent, so a move takes it along) and for places they chose."""

    personal_number = models.CharField(max_length=9, unique=True)
    home = models.BooleanField(default=True)
    neighbourhoods = models.JSONField(default=list)
    updated_at = models.DateTimeField()
