"""Writes through the SensorThings API: create (deep insert included), update (PATCH and JSON
Patch) and delete. Observations go through ingest.observations_ingest, one reading or a batch,
so refusals are the same whichever door a reading comes in by.

The advisories' writes (issuing, subscriptions) live in sensors.advisories and are
re-exported here, the one place other apps and pages take writes from."""

from __future__ import annotations

import jsonpatch
from django.db import IntegrityError, models, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from civic.sensors import models as m
from civic.sensors.advisories.issuing import (  # noqa: F401 (one place for writes)
    AdvisoryRefused,
    advisory_cancel,
    advisory_discard,
    advisory_issue,
    advisory_update,
)
from civic.sensors.advisories.subscriptions import (  # noqa: F401 (one place for writes)
    SubscriptionRefused,
    advisory_subscription_erase,
    advisory_subscription_set,
)
from civic.sensors.entities import SETS, EntityError, EntitySet
from civic.sensors.ingest import Reading, observations_ingest


class NotFound(LookupError):
    """An entity that does not exist: 404."""


class Conflict(RuntimeError):
    """A write the stored data forbids (a duplicate reading, a sensor still in use): 409."""


def entity_get(entity_set: EntitySet, pk: int) -> models.Model:
    try:
        return entity_set.model.objects.get(pk=pk)
    except entity_set.model.DoesNotExist:
        raise NotFound(f"No {entity_set.name}({pk}).") from None


def _reference(entity_set: EntitySet, value: object) -> models.Model:
    """A related entity in a body: one with an @iot.id links the existing one (clients such as
    FROST's send the whole entity they hold); anything else is a new one (deep insert)."""
    if not isinstance(value, dict):
        raise EntityError(f"A {entity_set.name} entity must be a JSON object.")
    if "@iot.id" in value:
        try:
            return entity_get(entity_set, int(value["@iot.id"]))
        except (NotFound, TypeError, ValueError):
            raise EntityError(f"No {entity_set.name}({value['@iot.id']}) to link to.") from None
    return entity_create(entity_set=entity_set, data=value)


def feature_default(datastream: m.Datastream) -> m.FeatureOfInterest | None:
    """As the standard says: without one, an observation's feature of interest is its Thing's
    location, made once and reused."""
    location = datastream.thing.locations.first()
    if location is None:
        return None
    feature = m.FeatureOfInterest.objects.filter(
        feature=location.location, name=location.name
    ).first()
    return feature or m.FeatureOfInterest.objects.create(
        name=location.name,
        description=location.description,
        encoding_type=location.encoding_type,
        feature=location.location,
    )


def _observation_create(data: dict, links: dict) -> m.Observation:
    values = _fields(SETS["Observations"], data, create=True)
    datastream = links.get("datastream")
    if datastream is None:
        raise EntityError("An observation needs its Datastream.")
    feature = links.get("feature_of_interest") or feature_default(datastream)
    outcome = observations_ingest(
        readings=[
            Reading(
                datastream_id=datastream.pk,
                phenomenon_time=values.get("phenomenon_time") or timezone.now(),
                phenomenon_time_end=values.get("phenomenon_time_end"),
                result=values["result_number"]
                if values.get("result_json") is None
                else values["result_json"],
                result_time=values.get("result_time"),
                result_quality=values.get("result_quality"),
                parameters=values.get("parameters"),
                feature_of_interest_id=feature.pk if feature else None,
            )
        ]
    )
    if outcome.ids[0] is None:
        reason = next(iter(outcome.refused))
        message = {
            "future": "phenomenonTime is in the future.",
            "duplicate": "This datastream already has an observation at that phenomenonTime.",
        }.get(reason, reason)
        raise (Conflict if reason == "duplicate" else EntityError)(message)
    return m.Observation.objects.get(pk=outcome.ids[0])


def _fields(entity_set: EntitySet, data: dict, *, create: bool) -> dict:
    values: dict = {}
    for prop in entity_set.props:
        if prop.name in data:
            values.update(prop.write(data[prop.name]))
        elif create and prop.required:
            raise EntityError(f"{entity_set.name}: {prop.name} is required.")
    known = {p.name for p in entity_set.props} | {n.name for n in entity_set.navs} | {"@iot.id"}
    unknown = set(data) - known - {k for k in data if k.endswith("@iot.navigationLink")}
    if unknown:
        raise EntityError(f"{entity_set.name} has no {', '.join(sorted(unknown))}.")
    return values


def entity_create(
    *, entity_set: EntitySet, data: object, links: dict | None = None
) -> models.Model:
    if not isinstance(data, dict):
        raise EntityError(f"A {entity_set.name} entity must be a JSON object.")
    links = dict(links or {})
    if entity_set.name == "Observations":
        # Outside a transaction of its own: a refused reading is still counted.
        with transaction.atomic():
            for nav in entity_set.navs:
                if nav.name in data:
                    links[nav.attr] = _reference(SETS[nav.target], data[nav.name])
        return _observation_create(data, links)
    with transaction.atomic():
        for nav in entity_set.navs:
            if not nav.many and nav.name in data:
                links[nav.attr] = _reference(SETS[nav.target], data[nav.name])
        values = _fields(entity_set, data, create=True)
        missing = [
            n.name
            for n in entity_set.navs
            if not n.many
            and n.attr not in links
            and not entity_set.model._meta.get_field(n.attr).null
        ]
        if missing:
            raise EntityError(f"{entity_set.name} needs {', '.join(missing)}.")
        obj = entity_set.model.objects.create(**values, **links)
        for nav in entity_set.navs:
            if not nav.many or nav.name not in data:
                continue
            items = data[nav.name]
            if not isinstance(items, list):
                raise EntityError(f"{nav.name} must be a list.")
            target = SETS[nav.target]
            inverse = target.nav(nav.inverse) if nav.inverse else None
            for item in items:
                if inverse is not None and not inverse.many:  # a child pointing back here
                    if "@iot.id" in item:
                        child = entity_get(target, item["@iot.id"])
                        setattr(child, inverse.attr, obj)
                        child.save()
                    else:
                        entity_create(entity_set=target, data=item, links={inverse.attr: obj})
                else:
                    getattr(obj, nav.attr).add(_reference(target, item))
        if entity_set.name == "Things" and data.get("Locations"):
            history = m.HistoricalLocation.objects.create(thing=obj, time=timezone.now())
            history.locations.set(obj.locations.all())
    return obj


def entity_update(*, entity_set: EntitySet, obj: models.Model, data: object) -> models.Model:
    if not isinstance(data, dict):
        raise EntityError("A PATCH body must be a JSON object.")
    if entity_set.name == "Things" and "Locations" in data:
        raise EntityError("Locations cannot be changed by PATCH.")
    values = _fields(entity_set, data, create=False)
    for nav in entity_set.navs:
        if nav.name in data:
            if nav.many:
                raise EntityError(
                    f"{nav.name} cannot be changed by PATCH; link from the other side."
                )
            values[nav.attr] = _reference(SETS[nav.target], data[nav.name])
    for name, value in values.items():
        setattr(obj, name, value)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        raise Conflict(
            "That change clashes with a stored entity (a duplicate reading?)."
        ) from error
    return obj


def entity_patch_json(
    *, entity_set: EntitySet, obj: models.Model, operations: object
) -> models.Model:
    """JSON Patch (RFC 6902) on the entity's properties."""
    if not isinstance(operations, list):
        raise EntityError("A JSON Patch body must be a list of operations.")
    current = {p.name: p.read(obj) for p in entity_set.props}
    try:
        patched = jsonpatch.apply_patch(current, operations)
    except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException, TypeError) as error:
        raise EntityError(f"The JSON Patch cannot be applied: {error}") from error
    changed = {k: v for k, v in patched.items() if current.get(k) != v}
    return entity_update(entity_set=entity_set, obj=obj, data=changed)


def entity_delete(*, entity_set: EntitySet, obj: models.Model) -> None:
    try:
        obj.delete()
    except ProtectedError as error:
        raise Conflict(f"{entity_set.name}({obj.pk}) is still used by datastreams.") from error
