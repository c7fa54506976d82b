"""The load benchmark's checks after a locust run (full and smoke alike): a submission without
its case or receipt, or one done twice, fails the run; so does a run that sent nothing, which
would have checked nothing."""

from __future__ import annotations

from benchmarks.load.measure import problems

IN_ORDER = {
    "submissions": 6,
    "cases for them": 6,
    "submissions without a case": 0,
    "drafts sent twice": 0,
    "receipts in the inbox": 6,
    "receipts twice": 0,
    "e-mail deliveries": 2,
    "e-mails sent": 2,
}


def test_a_run_where_every_submission_has_its_case_and_receipt_passes():
    assert problems(IN_ORDER) == []


def test_a_missing_case_fails_the_run():
    found = problems({**IN_ORDER, "cases for them": 5, "submissions without a case": 1})
    assert found and "1 without one" in found[0]


def test_a_missing_receipt_or_a_double_fails_the_run():
    assert problems({**IN_ORDER, "receipts in the inbox": 5}) == ["6 cases but 5 receipts"]
    assert problems({**IN_ORDER, "drafts sent twice": 1}) == ["drafts sent twice: 1"]
    assert problems({**IN_ORDER, "receipts twice": 1, "receipts in the inbox": 7}) == [
        "6 cases but 7 receipts",
        "receipts twice: 1",
    ]


def test_an_e_mail_left_unsent_fails_the_run():
    assert problems({**IN_ORDER, "e-mails sent": 1}) == ["1 e-mails not sent"]


def test_a_run_that_sent_no_application_fails():
    nothing = dict.fromkeys(IN_ORDER, 0)
    assert problems(nothing) == ["no application was sent, so nothing could be checked"]
