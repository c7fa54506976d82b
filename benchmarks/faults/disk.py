"""Fault 3 of faults.py: the media disk full. The media folder (CIVIC_VAR_DIR/media, where
uploads and receipts are stored: MEDIA_ROOT has no setting of its own) becomes a 5 MB tmpfs,
filled up but for a little room; then a resident uploads a document bigger than that room,
and another sends an application (whose receipt is a PDF stored in the same folder)."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.faults.scenarios import CSRF, _now, _send, _services, _stop, _verdict

ERROR_SUMMARY = re.compile(r'govuk-error-summary__list">\s*<li>(?:<a[^>]*>)?([^<]+)')
TITLE = re.compile(r"<title>([^<]+)</title>")


def _what_the_page_said(answer: httpx.Response) -> str:
    text = answer.text
    found = ERROR_SUMMARY.search(text) or TITLE.search(text)
    return f"{answer.status_code}: {found.group(1).strip() if found else text[:120]!r}"


def _upload(base: str, session: str, size: int) -> str:
    cookies = {"sessionid": session, "csrftoken": CSRF}
    fields = {
        "csrfmiddlewaretoken": CSRF,
        "form_version": "1",
        "licence_plate": "AB-123-C",
        "car_use": "lease",
        "start_date": "2027-02-01",
    }
    path = base + "/my/apply/parking-permit/car/"
    headers = {"X-CSRFToken": CSRF}
    # The lease choice reveals the document question; then the step with the document.
    httpx.post(
        path,
        cookies=cookies,
        headers=headers,
        data={**fields, "shown": "licence_plate,car_use,start_date"},
        timeout=30,
    )
    pdf = b"%PDF-1.4\n" + os.urandom(size) + b"\n%%EOF\n"
    answer = httpx.post(
        path,
        cookies=cookies,
        headers=headers,
        data={**fields, "shown": "licence_plate,car_use,lease_contract,start_date"},
        files={"lease_contract": ("lease.pdf", pdf, "application/pdf")},
        timeout=30,
    )
    if answer.status_code == 302:
        return f"302 to {answer.headers.get('location', '')}"
    return _what_the_page_said(answer)


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def media_disk_full(stage) -> dict[str, Any]:
    media = Path(stage.env["CIVIC_VAR_DIR"], "media")
    media.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=5m", "tmpfs", str(media)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode:
        return {"result": "skipped", "why": f"no tmpfs: {mounted.stderr.strip()}"}
    uploader = stage.ask("applicants", {"count": 1, "seed": 61, "step": "car"})[0]
    sender = stage.ask("applicants", {"count": 1, "seed": 62})[0]
    since = _now()
    processes = _services(stage, workers=1)
    base = f"http://127.0.0.1:{stage.web_port}"
    filler = media / "filler"
    try:
        free = os.statvfs(media).f_bavail * os.statvfs(media).f_frsize
        with filler.open("wb") as out:
            out.write(b"\0" * max(0, free - 200 * 1024))  # leave 200 KiB
        before = set(_files(media))
        full_upload = _upload(base, uploader["session"], 600 * 1024)
        after_upload = sorted(set(_files(media)) - before)
        uploads_full = stage.ask("draft_uploads", {"draft": uploader["draft"]})
        # Unbuffered, so that the write that finds the disk full fails, not the close.
        with (media / "filler-rest").open("wb", buffering=0) as out, contextlib.suppress(OSError):
            while True:  # until not a byte is left
                out.write(b"\0" * 512)
        files_before_send = set(_files(media))
        full_send, _at = _send(base, sender["session"])
        after_send = sorted(set(_files(media)) - files_before_send)
        time.sleep(3)
        out_full = stage.ask("outcome", {"since": since, "drafts": [sender["draft"]]})
        filler.unlink()
        (media / "filler-rest").unlink()
        full_send_again, _at = _send(base, sender["session"])
        out_after = stage.ask("outcome", {"since": since, "drafts": [sender["draft"]]})
        free_upload = _upload(base, uploader["session"], 600 * 1024)
        uploads_free = stage.ask("draft_uploads", {"draft": uploader["draft"]})
        orphans = sorted(
            set(_files(media))
            - {u["file"] for u in uploads_free["uploads"]}
            - {f for f in _files(media) if not f.startswith("uploads/")}
        )
    finally:
        _stop(processes)
        for path in (filler, media / "filler-rest"):
            with contextlib.suppress(OSError):
                path.unlink()
        subprocess.run(["umount", str(media)], check=False)
    problems = []
    if full_upload.startswith(("302", "500")):
        problems.append(f"the upload on a full disk answered {full_upload}")
    if uploads_full["uploads"]:
        problems.append("an upload row was kept although its file could not be stored")
    if after_upload:
        problems.append(f"files left behind by the refused upload: {after_upload}")
    if not free_upload.startswith("302") or len(uploads_free["uploads"]) != 1:
        problems.append(f"after freeing the disk the upload answered {free_upload}")
    if orphans:
        problems.append(f"orphan files: {orphans}")
    if out_full["submissions without a case"] or out_full["receipts"] != out_full["cases"]:
        problems.append(f"the submission on a full disk left {out_full}")
    if full_send == "sent" or full_send.startswith("500"):
        problems.append(f"sending on the full disk answered {full_send}")
    if after_send:
        problems.append(f"files left behind by the refused sending: {after_send}")
    if full_send_again != "sent" or out_after["cases"] != 1 or out_after["receipts"] != 1:
        problems.append(f"sending once there was room: {full_send_again}, {out_after}")
    return {
        "done": "CIVIC_VAR_DIR/media mounted as a 5 MB tmpfs and filled but for 200 KiB; a "
        "600 KiB lease contract uploaded on the parking permit's car step; then the disk filled "
        "to the last byte and another resident sends an application (its receipt PDF goes to "
        "the same disk); the disk freed, the sending and the upload tried again",
        "users saw": {
            "upload on the full disk": full_upload,
            "sending on the full disk (not a byte free)": full_send,
            "sending once there was room": full_send_again,
            "upload once there was room": free_upload,
        },
        "checked": {
            "files left by the refused upload": after_upload,
            "upload rows while full": len(uploads_full["uploads"]),
            "upload rows after": len(uploads_free["uploads"]),
            "orphan upload files": orphans,
            "files left by the refused sending": after_send,
            "the application while the disk was full": out_full,
            "the application afterwards": out_after,
        },
        "result": _verdict(problems),
    }
