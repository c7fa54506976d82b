"""The datasets Civic publishes, defined in code: register statistics read through the exchange
as counts under the statistics purpose, service volumes and KPIs from the cases, forms,
feedback and proactive offers, the algorithm register. Each ``build`` returns the table to
publish, its counts already protected."""

from __future__ import annotations

import datetime as dt
import statistics

from civic.cases.selectors import case_durations, case_volumes
from civic.core import clock
from civic.decisions.algorithm_register import algorithm_document, algorithms_list
from civic.exchange.selectors import AGE_BANDS, LARGEST_HOUSEHOLD, NACE_SECTIONS, aggregate_read
from civic.opendata.datasets import private, service_kpis
from civic.opendata.datasets.base import (
    Column,
    Context,
    Definition,
    Table,
    protected_rows,
    protected_table,
    published_rows,
)
from civic.opendata.disclosure import CountTable, disclosure_check, households_protect
from civic.sensors.selectors import daily_summaries

SEXES = ("F", "M", "X")


def _population_table(context: Context) -> tuple[CountTable, str]:
    """Residents by neighbourhood × (age band, sex), protected as the population dataset
    publishes them; and the exchange's release id."""
    counts = aggregate_read(
        actor=context.actor, purpose=context.purpose, aggregate="population", on=context.on
    )
    cells = {tuple(cell[:-1]): cell[-1] for cell in counts.cells}
    neighbourhoods = sorted({cell[0] for cell in counts.cells})
    columns = [(band, sex) for band, _age in AGE_BANDS for sex in SEXES]
    table = protected_table(
        row_labels=neighbourhoods, column_labels=columns, counts=cells, threshold=context.threshold
    )
    return table, counts.release


def _population(context: Context) -> Table:
    table, release = _population_table(context)
    rows, withheld = published_rows(table, width=2)
    return Table(
        columns=[
            Column("neighbourhood", "string", "Neighbourhood", "Neighbourhood code; total: all"),
            Column("age_band", "string", "Age band", "Age in whole years on the reference day"),
            Column("sex", "string", "Sex", "F female, M male, X unspecified; total: all"),
            Column("residents", "integer", "Residents", "Empty where withheld (under 10)"),
        ],
        rows=rows,
        release=release,
        withheld=withheld,
    )


#: Household sizes counted one by one, and the open class of the larger ones.
SIZES, OPEN_SIZE = [1, 2, 3, 4, 5], f"{LARGEST_HOUSEHOLD}+"


def _households(context: Context) -> Table:
    counts = aggregate_read(
        actor=context.actor, purpose=context.purpose, aggregate="households", on=context.on
    )
    cells = {tuple(cell[:-1]): cell[-1] for cell in counts.cells}
    neighbourhoods = sorted({cell[0] for cell in counts.cells})
    sizes = [(str(size),) for size in SIZES] + [(OPEN_SIZE,)]
    table = protected_table(
        row_labels=neighbourhoods, column_labels=sizes, counts=cells, threshold=context.threshold
    )
    # The same residents are published by neighbourhood: checked together (disclosure.linked).
    residents, _release = _population_table(context)
    households_protect(
        residents, table, sizes=SIZES, open_size=OPEN_SIZE, threshold=context.threshold
    )
    disclosure_check(table, threshold=context.threshold)
    rows, withheld = published_rows(table, width=1)
    return Table(
        columns=[
            Column("neighbourhood", "string", "Neighbourhood", "Neighbourhood code; total: all"),
            Column("household_size", "string", "Household size", "Residents at one address"),
            Column("households", "integer", "Households", "Empty where withheld (under 10)"),
        ],
        rows=rows,
        release=counts.release,
        withheld=withheld,
    )


def _businesses(context: Context) -> Table:
    counts = aggregate_read(
        actor=context.actor, purpose=context.purpose, aggregate="businesses", on=context.on
    )
    cells = {tuple(cell[:-1]): cell[-1] for cell in counts.cells}
    neighbourhoods = sorted({cell[0] for cell in counts.cells})
    present = {cell[1] for cell in counts.cells}
    sections = [(letter,) for letter, _low, _high in NACE_SECTIONS if letter in present]
    rows, withheld = (
        protected_rows(
            row_labels=neighbourhoods,
            column_labels=sections,
            counts=cells,
            threshold=context.threshold,
        )
        if cells
        else ([], 0)
    )
    return Table(
        columns=[
            Column("neighbourhood", "string", "Neighbourhood", "Neighbourhood code; total: all"),
            Column(
                "activity_section",
                "string",
                "Activity",
                "NACE Rev. 2 section of the main activity (SBI); total: all",
            ),
            Column("businesses", "integer", "Businesses", "Empty where withheld (under 10)"),
        ],
        rows=rows,
        release=counts.release,
        withheld=withheld,
    )


#: Days of sensor readings the daily summaries cover, up to yesterday.
SENSOR_DAYS = 90


def _sensor_days(context: Context) -> Table:
    """Each datastream's numeric readings per day of the last ``SENSOR_DAYS`` complete days:
    no personal data (the city's own sensors, counts and levels), so no disclosure control.
    The days are UTC days, so before local midnight in UTC the local today is the UTC day that is
    not over yet: it is left out."""
    until = min(context.on, clock.now().astimezone(dt.UTC).date())
    summaries = daily_summaries(since=until - dt.timedelta(days=SENSOR_DAYS), until=until)
    return Table(
        columns=[
            Column("datastream", "integer", "Datastream", "Its id at /sta/v1.1/Datastreams(id)"),
            Column("name", "string", "Name"),
            Column("observed_property", "string", "Observed property"),
            Column("unit", "string", "Unit", "Symbol of the unit of measurement"),
            Column("day", "date", "Day", "UTC"),
            Column("observations", "integer", "Readings", "Numeric readings that day"),
            Column("minimum", "number", "Minimum"),
            Column("maximum", "number", "Maximum"),
            Column("mean", "number", "Mean"),
        ],
        rows=[
            [
                s.datastream,
                s.name,
                s.observed_property,
                s.unit,
                s.day.isoformat(),
                s.observations,
                round(s.minimum, 3),
                round(s.maximum, 3),
                round(s.mean, 3),
            ]
            for s in summaries
        ],
    )


def _service_volumes(context: Context) -> Table:
    volumes = case_volumes()
    case_types = sorted({row[0] for row in volumes})
    months = sorted({row[1] for row in volumes})
    cells = {(code, month): count for code, month, count in volumes}
    rows, withheld = (
        protected_rows(
            row_labels=case_types,
            column_labels=[(m,) for m in months],
            counts=cells,
            threshold=context.threshold,
        )
        if volumes
        else ([], 0)
    )
    return Table(
        columns=[
            Column("case_type", "string", "Case type", "The service's case type; total: all"),
            Column("month", "string", "Month opened", "YYYY-MM; total: all months"),
            Column("cases", "integer", "Cases opened", "Empty where withheld (under 10)"),
        ],
        rows=rows,
        withheld=withheld,
    )


def _processing_times(context: Context) -> Table:
    """Closed cases per case type and month, with their median processing time in days; the
    median is given only where its count is published (10 or more, not withheld)."""
    durations: dict[tuple[str, str], list[float]] = {}
    for code, month, days in case_durations():
        durations.setdefault((code, month), []).append(days)
    case_types = sorted({code for code, _month in durations})
    months = sorted({month for _code, month in durations})
    if not durations:
        rows, withheld = [], 0
    else:
        rows, withheld = protected_rows(
            row_labels=case_types,
            column_labels=[(m,) for m in months],
            counts={key: len(days) for key, days in durations.items()},
            threshold=context.threshold,
        )
    for row in rows:
        code, month, count = row
        if count is None or count == 0:
            row.append(None)
            continue
        days = [
            d
            for (c, m), values in durations.items()
            if code in (c, "total") and month in (m, "total")
            for d in values
        ]
        row.append(round(statistics.median(days), 1))
    return Table(
        columns=[
            Column("case_type", "string", "Case type", "The service's case type; total: all"),
            Column("month", "string", "Month closed", "YYYY-MM; total: all months"),
            Column("cases", "integer", "Cases closed", "Empty where withheld (under 10)"),
            Column(
                "median_days", "number", "Median days", "Opening to closing; empty where withheld"
            ),
        ],
        rows=rows,
        withheld=withheld,
    )


def _algorithm_register(_context: Context) -> Table:
    rows = []
    for algorithm in algorithms_list():
        document = algorithm_document(algorithm, language="en")
        rows.append(
            [
                algorithm.slug,
                document.get("name", ""),
                document.get("organization", ""),
                algorithm.kind,
                document.get("status", ""),
                document.get("publication_category", ""),
                document.get("description_short", ""),
            ]
        )
    return Table(
        columns=[
            Column("slug", "string", "Identifier"),
            Column("name", "string", "Name"),
            Column("organization", "string", "Organisation"),
            Column("kind", "string", "Kind", "rule-set or model"),
            Column("status", "string", "Status"),
            Column("publication_category", "string", "Publication category"),
            Column("description_short", "string", "Short description"),
        ],
        rows=rows,
    )


#: HVD category "Statistics" (EU High-Value Datasets, Regulation (EU) 2023/138).
HVD_STATISTICS = "c_e1da4e07"

DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        name="population-by-neighbourhood-age-sex",
        title={
            "en": "Population by neighbourhood, age band and sex",
            "nl": "Bevolking naar wijk, leeftijdsklasse en geslacht",
        },
        notes={
            "en": "Residents living in each neighbourhood today, by age band and sex, from the "
            "persons register. Counts under 10 are withheld, with enough others that none can "
            "be worked out from the totals.",
            "nl": "Inwoners die vandaag in elke wijk wonen, naar leeftijdsklasse en geslacht, uit "
            "de basisregistratie personen. Aantallen onder 10 zijn weggelaten, met zoveel "
            "andere dat geen ervan uit de totalen is af te leiden.",
        },
        theme="SOCI",
        frequency="DAILY",
        build=_population,
        tags=("population", "neighbourhood", "age", "sex"),
        hvd_category=HVD_STATISTICS,
    ),
    Definition(
        name="households-by-size",
        title={"en": "Households by size", "nl": "Huishoudens naar grootte"},
        notes={
            "en": "Addresses by the number of residents living there today, per neighbourhood. "
            "Counts under 10 are withheld, with enough others that none can be worked out.",
            "nl": "Adressen naar het aantal inwoners dat er vandaag woont, per wijk. Aantallen "
            "onder 10 zijn weggelaten, met zoveel andere dat geen ervan is af te leiden.",
        },
        theme="SOCI",
        frequency="DAILY",
        build=_households,
        tags=("households", "neighbourhood"),
        hvd_category=HVD_STATISTICS,
    ),
    Definition(
        name="businesses-by-activity",
        title={
            "en": "Businesses by activity and neighbourhood",
            "nl": "Bedrijven naar activiteit en wijk",
        },
        notes={
            "en": "Businesses registered today by the neighbourhood of their address and the "
            "section (NACE Rev. 2) of their main activity, from the businesses register. Counts "
            "under 10 are withheld, with enough others that none can be worked out.",
            "nl": "Vandaag ingeschreven bedrijven naar de wijk van hun adres en de sectie (SBI, "
            "NACE Rev. 2) van hun hoofdactiviteit, uit het handelsregister. Aantallen onder 10 "
            "zijn weggelaten, met zoveel andere dat geen ervan is af te leiden.",
        },
        theme="ECON",
        frequency="DAILY",
        build=_businesses,
        tags=("businesses", "economy", "neighbourhood"),
        hvd_category=HVD_STATISTICS,
    ),
    Definition(
        name="service-volumes",
        title={"en": "Service volumes", "nl": "Aantallen aanvragen per dienst"},
        notes={
            "en": "Cases opened per service (case type) and month. Counts under 10 are "
            "withheld, with enough others that none can be worked out from the totals.",
            "nl": "Geopende zaken per dienst (zaaktype) en maand. Aantallen onder 10 zijn "
            "weggelaten, met zoveel andere dat geen ervan uit de totalen is af te leiden.",
        },
        theme="GOVE",
        frequency="DAILY",
        build=_service_volumes,
        tags=("services", "cases"),
    ),
    Definition(
        name="service-processing-times",
        title={"en": "Service processing times", "nl": "Doorlooptijden per dienst"},
        notes={
            "en": "Cases closed per service (case type) and month, with the median number of "
            "days from opening to closing. Counts under 10 and their medians are withheld.",
            "nl": "Afgesloten zaken per dienst (zaaktype) en maand, met het mediane aantal dagen "
            "van opening tot afsluiting. Aantallen onder 10 en hun medianen zijn weggelaten.",
        },
        theme="GOVE",
        frequency="DAILY",
        build=_processing_times,
        tags=("services", "cases", "processing times"),
    ),
    *service_kpis.DEFINITIONS,
    Definition(
        name="sensor-daily-summaries",
        title={
            "en": "Sensor readings, daily summaries",
            "nl": "Sensormetingen, dagoverzichten",
        },
        notes={
            "en": "For each of the city's sensor datastreams (air quality, pedestrian counts, "
            "river levels, traffic), the number of readings and their minimum, maximum and mean "
            "per day, over the last 90 days. The readings themselves are at /sta/v1.1/.",
            "nl": "Voor elke datastroom van de sensoren van de stad (luchtkwaliteit, "
            "voetgangerstellingen, waterstanden, verkeer) het aantal metingen en hun minimum, "
            "maximum en gemiddelde per dag, over de laatste 90 dagen. De metingen zelf staan "
            "op /sta/v1.1/.",
        },
        theme="ENVI",
        frequency="DAILY",
        build=_sensor_days,
        tags=("sensors", "air quality", "environment"),
    ),
    Definition(
        name="algorithm-register",
        title={"en": "Algorithm register", "nl": "Algoritmeregister"},
        notes={
            "en": "Every rule set and model Civic uses to decide or advise, as in the "
            "algorithm register (/algorithms/).",
            "nl": "Elke regelset en elk model waarmee Civic beslist of adviseert, zoals in het "
            "algoritmeregister (/algorithms/).",
        },
        theme="GOVE",
        frequency="DAILY",
        build=_algorithm_register,
        tags=("algorithms", "transparency"),
    ),
)


def definitions() -> tuple[Definition, ...]:
    """Every dataset published: those above, and the differentially private release when it
    is switched on (CIVIC_OPENDATA_DP_EPSILON) and OpenDP is installed."""
    return (*DEFINITIONS, private.DEFINITION) if private.available() else DEFINITIONS


def definition_get(name: str) -> Definition | None:
    return next((d for d in definitions() if d.name == name), None)
