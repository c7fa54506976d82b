"""The public algorithm register: every rule set and model Civic uses, described with the fields
of the Dutch algorithm register's publication standard (Algoritmeregister publicatiestandaard
1.0) and exported as JSON documents that validate against that standard's JSON Schema.

The entries live in ``data/algorithms.json``: the standard's fields under their own names, each
free text as ``{"en": ..., "nl": ...}``. An export is one language: texts become strings, links
that start with ``/`` become absolute, and ``lang``, ``standard_version``, ``source_id`` and
``url`` are filled in. Every exported document is checked against
``data/algoritmeregister-schema.json``; a failure names the entry, the language and the field.
The parsed file is read once per process (``entries_reload`` reads it again).


Split by meaning: ``standard`` (the schema, fields and validation), ``documents`` (an entry and
its export in one language), ``entries`` (the entries file and its reads), ``assessments``
(the DPIA and IAMA pages). Everything is importable from here, as before.
"""

from civic.decisions.algorithm_register.assessments import assessment_get, assessment_path
from civic.decisions.algorithm_register.documents import (
    Algorithm,
    algorithm_document,
    language_of,
    publiccode_text,
    source_code_url,
)
from civic.decisions.algorithm_register.entries import (
    algorithm_get,
    algorithms_list,
    entries_parse,
    entries_reload,
    register_document,
)
from civic.decisions.algorithm_register.standard import (
    ASSESSMENTS,
    DATA,
    ENTRIES_FILE,
    FILLED_ON_EXPORT,
    GROUPS,
    KINDS,
    LANGUAGES,
    LINK_FIELDS,
    NOT_EXPORTED,
    PUBLICCODE_FILE,
    SCHEMA_FILE,
    SHOW_ALWAYS,
    STANDARD_NAME,
    STANDARD_VERSION,
    SUMMARY,
    AlgorithmRegisterError,
    document_validate,
    schema,
    standard_fields,
)

__all__ = [
    "ASSESSMENTS",
    "DATA",
    "ENTRIES_FILE",
    "FILLED_ON_EXPORT",
    "GROUPS",
    "KINDS",
    "LANGUAGES",
    "LINK_FIELDS",
    "NOT_EXPORTED",
    "PUBLICCODE_FILE",
    "SCHEMA_FILE",
    "SHOW_ALWAYS",
    "STANDARD_NAME",
    "STANDARD_VERSION",
    "SUMMARY",
    "Algorithm",
    "AlgorithmRegisterError",
    "algorithm_document",
    "algorithm_get",
    "algorithms_list",
    "assessment_get",
    "assessment_path",
    "document_validate",
    "entries_parse",
    "entries_reload",
    "language_of",
    "publiccode_text",
    "register_document",
    "schema",
    "source_code_url",
    "standard_fields",
]
