"""Civic's own training set for the document-type classifier, and the training.

Forty templates (``templates/``: four per document type, each written independently, in English
and Dutch) are filled with random, realistic values (``values``: names, addresses, amounts,
IBANs valid by mod-97, personal numbers valid by mod-11), drawn as PDFs (``layout``, reportlab),
rendered and degraded like scans (``degrade``: stamps, pen marks, a turn, low resolution, blur,
noise, JPEG) and read by Civic's own OCR (``corpus``). ``model`` trains and evaluates by
template; ``train`` is ``civic documents train``.

The ground truth of a sample (``Sample.truth``, and ``truth`` of every corpus record) is a
stable structure that the extraction's scoring may rely on::

    {
      "id": "s17-42",              # "s<seed>-<index>"
      "seed": 17, "index": 42,
      "generator": 1,              # GENERATOR_VERSION; bumped when the output changes
      "type": "payslip",           # a models.DocumentType value
      "template": "payslip-2",     # "<type>-<n>"
      "language": "nl",            # "en" or "nl"
      "fields": {                  # what the template was filled with, normalised:
        "name": "Ingrid de Vries", # people and organisations as printed
        "personal_number": "123456782",    # 9 digits, no spaces
        "iban": "NL91ABNA0417164300",      # compact
        "date": "2025-03-14",              # every *_date and "date": ISO 8601
        "gross_amount": "3120.55",         # every *_amount and *_balance: 2 decimals, a dot
        "period": "2025-03",               # payslips: year and month
        ...                                # only the fields that template prints
      },
      "degradation": {"stamps": 1, "marks": 2, "dpi": 200, "rotation": -1.33,
                      "blur": 0.27, "noise": 12, "jpeg_quality": 60}
    }

Field names used across templates: ``name``, ``sender``, ``address`` (one line), ``addressee``,
``personal_number``, ``iban``, ``date``, ``decision_date``, ``birth_date``, ``death_date``,
``start_date``, ``end_date``, ``expiry_date``, ``case_reference``, ``employer``, ``period``,
``gross_amount``, ``net_amount``, ``total_amount``, ``rent_amount``, ``opening_balance``,
``closing_balance``, ``invoice_number``, ``document_number``, ``landlord``, ``place``,
``email``.
"""
