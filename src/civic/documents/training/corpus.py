"""The OCR'd training corpus: samples generated, degraded and read by Civic's own OCR
(``reading.ocr.scan_read``: orientation, deskew, tesseract), cached so that retraining does not
read every page again.

The cache is a gzipped JSON-lines file, one record a sample::

    {"truth": {...ground truth...}, "text": "<what OCR read>", "ocr_confidence": 0.91,
     "rotation": 0, "skew": -1.25}

Records are keyed by the sample's id (``s<seed>-<index>``) and generator version; a run reads
the cache, makes only the samples it lacks (in a pool of processes, one tesseract thread each),
appends each to ``<cache>.partial`` as it is read (so an interrupted run resumes) and at the end
writes the whole cache again.
"""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os
from collections.abc import Callable
from pathlib import Path

from civic.documents.training.generate import GENERATOR_VERSION, sample_make


def corpus_load(path: Path) -> dict[str, dict]:
    records: dict[str, dict] = {}
    if path.exists():
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                records[record["truth"]["id"]] = record
    partial = _partial(path)
    if partial.exists():
        for line in partial.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except json.JSONDecodeError:  # the last line of a run killed mid-write
                continue
            records[record["truth"]["id"]] = record
    return {key: r for key, r in records.items() if r["truth"]["generator"] == GENERATOR_VERSION}


def _partial(path: Path) -> Path:
    return path.with_name(path.name + ".partial")


def sample_read(job: tuple[int, int]) -> dict:
    """Generate sample ``index`` of ``seed`` and read its scan as Civic reads a scan."""
    from civic.documents.reading.ocr import scan_read

    seed, index = job
    sample = sample_make(seed, index)
    page = scan_read(sample.scan)
    return {
        "truth": sample.truth,
        "text": page.text,
        "ocr_confidence": page.confidence,
        "rotation": page.rotation,
        "skew": page.skew,
    }


def _worker_start() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"


def corpus_build(
    path: Path,
    *,
    seed: int,
    samples: int,
    workers: int = 2,
    progress: Callable[[int], object] | None = None,
) -> list[dict]:
    """Samples 0 .. ``samples - 1`` of ``seed``, from the cache or made and read now."""
    cached = corpus_load(path)
    wanted = [f"s{seed}-{index}" for index in range(samples)]
    missing = [(seed, index) for index, key in enumerate(wanted) if key not in cached]
    if progress:
        progress(samples - len(missing))
    if missing:
        partial = _partial(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("a", encoding="utf-8") as out:
            context = multiprocessing.get_context("fork")
            with context.Pool(workers, initializer=_worker_start) as pool:
                for record in pool.imap_unordered(sample_read, missing):
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                    out.flush()
                    cached[record["truth"]["id"]] = record
                    if progress:
                        progress(1)
        corpus_save(path, cached)
        partial.unlink()
    return [cached[key] for key in wanted]


def corpus_save(path: Path, records: dict[str, dict]) -> None:
    """The whole cache, sorted by seed and index (so the file is the same for the same corpus)."""
    ordered = sorted(records.values(), key=lambda r: (r["truth"]["seed"], r["truth"]["index"]))
    temporary = path.with_name(path.name + ".tmp")
    with gzip.GzipFile(temporary, "wb", mtime=0) as raw:
        for record in ordered:
            raw.write(
                (json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
            )
    temporary.replace(path)
