"""The catalogue as DCAT-AP 3 (the EU profile of W3C DCAT), built with rdflib and served as
Turtle, RDF/XML or JSON-LD; paged with Hydra as CKAN's DCAT extension pages it
(``hydra:PagedCollection``, ``hydra:nextPage``), which it and the data.europa.eu harvester
follow. Themes, licences, file types, frequencies and languages are EU vocabulary URIs; a
High-Value Dataset names its category and the implementing regulation."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from civic.opendata import vocabularies
from civic.opendata.formats import FORMATS
from civic.opendata.models import Dataset

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
IANA = "https://www.iana.org/assignments/media-types/"

#: Datasets per page of the catalogue.
PAGE_SIZE = 100
SERIALISATIONS = {
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("xml", "application/rdf+xml"),
    "jsonld": ("json-ld", "application/ld+json"),
}


def _graph() -> Graph:
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("skos", SKOS),
        ("hydra", HYDRA),
        ("dcatap", DCATAP),
        ("spdx", SPDX),
        ("vcard", VCARD),
    ):
        graph.bind(prefix, namespace)
    return graph


def _typed(graph: Graph, uri: str, kind: URIRef, label: str = "") -> URIRef:
    """A vocabulary term, typed as the profile's ranges require, with its label."""
    node = URIRef(uri)
    graph.add((node, RDF.type, kind))
    if label and kind == SKOS.Concept:
        graph.add((node, SKOS.prefLabel, Literal(label, lang="en")))
    return node


def _agent(graph: Graph, agency, absolute: Callable[[str], str]) -> URIRef:
    node = URIRef(absolute(f"/data/organizations/{agency.code}"))
    graph.add((node, RDF.type, FOAF.Agent))
    graph.add((node, FOAF.name, Literal(agency.name, lang="en")))
    if agency.name_nl:
        graph.add((node, FOAF.name, Literal(agency.name_nl, lang="nl")))
    return node


def _stamp(value) -> Literal:
    return Literal(value.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def _dataset(graph: Graph, dataset: Dataset, absolute: Callable[[str], str]) -> URIRef:
    page = absolute(reverse("opendata:dataset", args=[dataset.name]))
    node = URIRef(page)
    version = dataset.current
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(page)))
    graph.add((node, DCTERMS.title, Literal(dataset.title, lang="en")))
    graph.add((node, DCTERMS.description, Literal(dataset.notes, lang="en")))
    if dataset.title_nl:
        graph.add((node, DCTERMS.title, Literal(dataset.title_nl, lang="nl")))
    if dataset.notes_nl:
        graph.add((node, DCTERMS.description, Literal(dataset.notes_nl, lang="nl")))
    graph.add((node, DCTERMS.publisher, _agent(graph, dataset.organization, absolute)))
    graph.add((node, DCTERMS.issued, _stamp(dataset.metadata_created)))
    graph.add((node, DCTERMS.modified, _stamp(dataset.metadata_modified)))
    # DCAT 3's dcat:version (rdflib's DCAT namespace is DCAT 2's).
    graph.add((node, URIRef(f"{DCAT}version"), Literal(str(version.number))))
    graph.add((node, DCAT.landingPage, _typed(graph, page, FOAF.Document)))
    theme = vocabularies.THEMES.get(dataset.theme, dataset.theme)
    graph.add(
        (
            node,
            DCAT.theme,
            _typed(graph, vocabularies.theme_uri(dataset.theme), SKOS.Concept, theme),
        )
    )
    graph.add(
        (
            node,
            DCTERMS.accrualPeriodicity,
            _typed(graph, vocabularies.frequency_uri(dataset.frequency), DCTERMS.Frequency),
        )
    )
    for code in ("en", "nl"):
        graph.add(
            (
                node,
                DCTERMS.language,
                _typed(graph, vocabularies.language_uri(code), DCTERMS.LinguisticSystem),
            )
        )
    for tag in dataset.tags:
        graph.add((node, DCAT.keyword, Literal(tag, lang="en")))
    contact = BNode()
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(dataset.organization.name)))
    graph.add((contact, VCARD.hasURL, URIRef(absolute("/data/"))))
    graph.add((node, DCAT.contactPoint, contact))
    if dataset.hvd_category:
        category = vocabularies.HVD_CATEGORIES.get(dataset.hvd_category, "")
        graph.add(
            (
                node,
                DCATAP.hvdCategory,
                _typed(
                    graph,
                    vocabularies.hvd_category_uri(dataset.hvd_category),
                    SKOS.Concept,
                    category,
                ),
            )
        )
        legislation = URIRef(vocabularies.HVD_LEGISLATION)
        graph.add(
            (legislation, RDF.type, URIRef("http://data.europa.eu/eli/ontology#LegalResource"))
        )
        graph.add((node, DCATAP.applicableLegislation, legislation))
    for fmt in FORMATS:
        graph.add((node, DCAT.distribution, _distribution(graph, dataset, fmt, absolute)))
    return node


def _distribution(graph: Graph, dataset: Dataset, fmt: str, absolute) -> URIRef:
    media_type, file_type = FORMATS[fmt]
    url = absolute(reverse("opendata:file", args=[dataset.name, f"{dataset.name}.{fmt}"]))
    node = URIRef(f"{url}#distribution")
    version = dataset.current
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(f"{dataset.title} ({file_type})", lang="en")))
    graph.add((node, DCAT.accessURL, URIRef(url)))
    graph.add((node, DCAT.downloadURL, URIRef(url)))
    graph.add(
        (
            node,
            DCTERMS.format,
            _typed(graph, vocabularies.file_type_uri(file_type), DCTERMS.MediaTypeOrExtent),
        )
    )
    graph.add((node, DCAT.mediaType, _typed(graph, IANA + media_type, DCTERMS.MediaType)))
    licence = _typed(graph, vocabularies.licence_uri(dataset.licence), DCTERMS.LicenseDocument)
    graph.add((node, DCTERMS.license, licence))
    graph.add((node, DCTERMS.issued, _stamp(version.created)))
    graph.add((node, DCTERMS.modified, _stamp(version.created)))
    if fmt == "csv":
        checksum = BNode()
        graph.add((checksum, RDF.type, SPDX.Checksum))
        algorithm = _typed(graph, str(SPDX.checksumAlgorithm_sha256), SPDX.ChecksumAlgorithm)
        graph.add((checksum, SPDX.algorithm, algorithm))
        graph.add((checksum, SPDX.checksumValue, Literal(version.checksum, datatype=XSD.hexBinary)))
        graph.add((node, SPDX.checksum, checksum))
    return node


def catalogue_graph(
    *,
    datasets: list[Dataset],
    total: int,
    page: int,
    absolute: Callable[[str], str],
    extension: str,
) -> Graph:
    """One page of the catalogue: the catalogue itself, its datasets on the page, and the
    Hydra paging of the whole."""
    graph = _graph()
    here = absolute(f"/catalog.{extension}")
    catalogue = URIRef(absolute("/catalog"))
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.title, Literal("Civic open data", lang="en")))
    graph.add((catalogue, DCTERMS.title, Literal("Civic open data", lang="nl")))
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(
                "Open data of the jurisdiction: register statistics, service volumes, "
                "the algorithm register.",
                lang="en",
            ),
        )
    )
    graph.add((catalogue, FOAF.homepage, _typed(graph, absolute("/data/"), FOAF.Document)))
    graph.add(
        (
            catalogue,
            DCTERMS.language,
            _typed(graph, vocabularies.language_uri("en"), DCTERMS.LinguisticSystem),
        )
    )
    taxonomy = _typed(graph, f"{vocabularies.AUTHORITY}/data-theme", SKOS.ConceptScheme)
    graph.add((taxonomy, DCTERMS.title, Literal("Data theme", lang="en")))
    graph.add((catalogue, DCAT.themeTaxonomy, taxonomy))
    publishers = {d.organization.pk: d.organization for d in datasets}
    for agency in list(publishers.values())[:1]:
        graph.add((catalogue, DCTERMS.publisher, _agent(graph, agency, absolute)))
    if datasets:
        graph.add((catalogue, DCTERMS.modified, _stamp(max(d.metadata_modified for d in datasets))))
    for dataset in datasets:
        graph.add((catalogue, DCAT.dataset, _dataset(graph, dataset, absolute)))
    last = max(1, -(-total // PAGE_SIZE))
    paging = URIRef(f"{here}?page={page}")
    graph.add((paging, RDF.type, HYDRA.PagedCollection))
    graph.add((paging, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    graph.add((paging, HYDRA.itemsPerPage, Literal(PAGE_SIZE, datatype=XSD.integer)))
    graph.add((paging, HYDRA.firstPage, Literal(f"{here}?page=1")))
    graph.add((paging, HYDRA.lastPage, Literal(f"{here}?page={last}")))
    if page > 1:
        graph.add((paging, HYDRA.previousPage, Literal(f"{here}?page={page - 1}")))
    if page < last:
        graph.add((paging, HYDRA.nextPage, Literal(f"{here}?page={page + 1}")))
    return graph
