"""Witnessing the access log with a real witness process (`civic auditlog witness serve`) on a
free port: the truncation that plain `verify` misses is caught by `verify --against` the
witness's checkpoint and by the witness refusing the next checkpoint; forks are refused; the
log keeps growing while the witness is down and is co-signed when it is back."""

from __future__ import annotations

import base64
import datetime as dt
import re
import shutil
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as conf
from django.core.management import call_command
from django.core.management.base import CommandError

from civic.core import clock
from civic.exchange import auditlog, merkle, note, signing, witnessing
from civic.exchange.models import (
    AccessLogEntry,
    Checkpoint,
    Cosignature,
    MerkleNode,
    TreeHead,
    Witness,
)
from civic.exchange.witness import StateDir
from tests.exchange.test_auditlog import released

NAME = "witness.test/w1"


def witness_civic(*arguments: str) -> str:
    """`civic auditlog witness ...` in a process of its own; its output."""
    command = [sys.executable, "-m", "civic", "auditlog", "witness", *arguments]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def witness_key(tmp_path_factory) -> tuple[Path, str]:
    """The witness's key, made once (`civic auditlog witness keygen`), and its verifier key:
    each test's witness starts from a copy, as the key is not what they vary."""
    key = tmp_path_factory.mktemp("witness-key") / "witness.key"
    return key, witness_civic("keygen", "--name", NAME, "--key", str(key)).strip()


class WitnessProcess:
    """`civic auditlog witness serve` in a process of its own, as on another host."""

    def __init__(self, folder: Path, key: tuple[Path, str]) -> None:
        self.folder = folder
        self.key = folder / "witness.key"
        shutil.copy(key[0], self.key)
        self.vkey = key[1]
        self.state = folder / "state"
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self, *, log_key: str | None = None, port: int = 0) -> WitnessProcess:
        output = self.folder / f"witness-{time.monotonic_ns()}.out"
        command = [
            *(sys.executable, "-m", "civic", "auditlog", "witness", "serve"),
            *("--state", str(self.state), "--key", str(self.key)),
            *("--log-key", log_key or log_vkey(), "--bind", f"127.0.0.1:{port}"),
        ]
        with output.open("w") as sink:
            self.process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while not (found := re.search(r"listening on (http://\S+)/", output.read_text())):
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the witness did not start: {output.read_text()}")
            time.sleep(0.05)
        self.url = found.group(1)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def held(self) -> Path:
        return StateDir(self.state).file(conf.AUDITLOG_ORIGIN)


@pytest.fixture
def witness(tmp_path, settings, witness_key):
    running = WitnessProcess(tmp_path, witness_key).start()
    settings.AUDITLOG_WITNESSES = [f"{running.url} {running.vkey}"]
    settings.AUDITLOG_WITNESS_QUORUM = 1
    settings.AUDITLOG_CHECKPOINT_ENTRIES = 8
    yield running
    running.stop()


def log_vkey() -> str:
    """What the operator gives the witness: `civic auditlog vkey`."""
    out = StringIO()
    call_command("auditlog", "vkey", stdout=out)
    return out.getvalue().strip()


def verify(*arguments: str) -> str:
    out = StringIO()
    call_command("auditlog", "verify", *arguments, stdout=out)
    return out.getvalue()


def status() -> str:
    out = StringIO()
    call_command("auditlog", "status", stdout=out)
    return out.getvalue()


def witnessed_log(count: int = 30) -> dict[str, str]:
    released(count)
    auditlog.integrate_all()
    return witnessing.witnesses_update()


def truncate(to: int) -> None:
    """What someone with the database and the signing key does to hide the newest entries:
    delete them, the checkpoints that cover them and their subtrees, rewind the tree head, and
    make Civic forget what its witnesses hold."""
    AccessLogEntry.objects.filter(position__gte=to).delete()
    Checkpoint.objects.filter(tree_size__gt=to).delete()
    for node in MerkleNode.objects.all():
        if node.start + (1 << node.level) > to:
            node.delete()
    frontier = merkle.Frontier()
    for leaf in AccessLogEntry.objects.order_by("position").values_list("leaf_hash", flat=True):
        frontier.append(bytes.fromhex(leaf))
    TreeHead.objects.filter(pk=1).update(size=to, frontier=[h.hex() for h in frontier.hashes])
    Witness.objects.all().delete()
    # With the signing key, a checkpoint for what is left: the log verifies on its own.
    if not Checkpoint.objects.filter(tree_size=to).exists():
        auditlog.checkpoint_sign(size=to, root=frontier.root())


def test_a_truncated_log_passes_plain_verify_but_not_against_the_witness_checkpoint(db, witness):
    assert witnessed_log(30) == {NAME: "co-signed size 30"}
    truncate(24)
    # The gap this closes: everything left is consistent with itself.
    assert "ok: 24 entries and 3 checkpoints verify" in verify()
    with pytest.raises(
        CommandError,
        match="the log has 24 entries but a checkpoint held elsewhere covers 30: entries from "
        "position 24 on were removed",
    ):
        verify("--against", str(witness.held()))


def test_the_witness_refuses_the_next_smaller_checkpoint_and_the_refusal_shows(db, witness):
    witnessed_log(30)
    truncate(24)
    released(3)
    auditlog.integrate_all()
    outcome = witnessing.witnesses_update()[NAME]
    assert "the witness holds size 30, more than the newest checkpoint (27)" in outcome
    assert not Cosignature.objects.filter(checkpoint__tree_size=27).exists()
    # Asked outright to co-sign the smaller tree as if it had grown from 30, it refuses too.
    latest = auditlog.checkpoint_latest()
    body = b"old 30\n\n" + auditlog.checkpoint_signed_note(latest, cosigned=False)
    status_code, _kind, answer = witnessing._post(f"{witness.url}/add-checkpoint", body)
    assert status_code == 400 and b"larger than the checkpoint's 27" in answer
    assert note.checkpoint_parse(note.note_parse(witness.held().read_bytes()).text).size == 30
    assert "failing (1x): the witness holds size 30" in status()


def test_a_fork_of_the_same_size_is_refused_with_409(db, witness):
    witnessed_log(30)
    truncate(27)
    released(3)  # other entries in the place of the last three
    auditlog.integrate_all()
    assert auditlog.checkpoint_latest().tree_size == 30
    outcome = witnessing.witnesses_update()[NAME]
    assert "refused the checkpoint at size 30 (409): a different root at size 30" in outcome
    with pytest.raises(CommandError, match="first 30 entries no longer give the root"):
        verify("--against", str(witness.held()))


def test_a_larger_fork_is_refused_with_422(db, witness):
    witnessed_log(30)
    truncate(27)
    released(9)
    auditlog.integrate_all()
    outcome = witnessing.witnesses_update()[NAME]
    assert "refused the checkpoint at size 36 (422)" in outcome
    assert list(Path(witness.state, "evidence").iterdir())  # the witness kept the fork


def test_a_restarted_witness_keeps_the_size_it_co_signed(db, witness, settings):
    witnessed_log(30)
    witness.stop()
    witness.start()
    settings.AUDITLOG_WITNESSES = [f"{witness.url} {witness.vkey}"]
    body = b"old 0\n\n" + auditlog.checkpoint_signed_note(
        auditlog.checkpoint_latest(), cosigned=False
    )
    status_code, kind, answer = witnessing._post(f"{witness.url}/add-checkpoint", body)
    assert (status_code, kind, answer) == (409, "text/x.tlog.size", b"30\n")
    assert witnessed_log(5) == {NAME: "co-signed size 35"}


def test_a_witness_whose_state_was_damaged_answers_500_and_co_signs_nothing(db, witness):
    witnessed_log(10)
    witness.held().write_text("not a checkpoint\n")
    outcome = witnessed_log(5)[NAME]
    assert "refused the checkpoint at size 15 (500): the witness could not check" in outcome
    assert not Cosignature.objects.filter(checkpoint__tree_size=15).exists()


def test_a_witness_that_does_not_know_the_log_key_refuses_with_403(db, witness, settings):
    witness.stop()
    stranger = note.Signer.generate(conf.AUDITLOG_ORIGIN, note.ED25519)
    witness.start(log_key=stranger.verifier.vkey())
    settings.AUDITLOG_WITNESSES = [f"{witness.url} {witness.vkey}"]
    outcome = witnessed_log(10)[NAME]
    assert (
        "refused the checkpoint at size 10 (403): the checkpoint is not signed by a key" in outcome
    )
    assert not Cosignature.objects.exists()


def test_the_log_grows_while_the_witness_is_down_and_is_co_signed_when_it_is_back(
    db, witness, monkeypatch, settings
):
    settings.AUDITLOG_CHECKPOINT_SECONDS = 60  # the first pause after a failure: a minute
    witnessed_log(10)
    port = witness.port
    witness.stop()
    outcome = witnessed_log(20)[NAME]
    assert outcome.startswith("could not reach the witness")
    assert AccessLogEntry.objects.filter(position__isnull=False).count() == 30
    assert auditlog.checkpoint_latest().tree_size == 30
    assert witnessing.checkpoint_witnessed_latest().tree_size == 10
    shown = status()
    assert "newest witnessed checkpoint: size 10 (20 entries" in shown
    assert "failing (1x): could not reach the witness" in shown
    assert (
        "newest checkpoint (size 30) is not witnessed; the newest witnessed is size 10" in verify()
    )

    witness.start(port=port)
    assert witnessing.witnesses_update()[NAME].startswith("waiting until")
    later = clock.now() + dt.timedelta(minutes=10)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert witnessing.witnesses_update() == {NAME: "co-signed size 30"}
    assert witnessing.checkpoint_witnessed_latest().tree_size == 30
    assert "failing" not in status()


def test_the_checkpoint_endpoint_serves_the_newest_witnessed_checkpoint_with_its_cosignature(
    client, db, witness
):
    witnessed_log(30)
    witness.stop()
    witnessed_log(5)  # not witnessed: the witness is down
    answer = client.get("/api/exchange/v1/log/checkpoint").json()
    assert (answer["tree_size"], answer["witnessed"]) == (30, True)
    held = note.note_parse(answer["signed_note"].encode())
    cosigner = note.Verifier.from_vkey(witness.vkey)
    log_key = signing.verifier(signing.public_bytes(signing.private_key().public_key()))
    assert held.verified_by([log_key, cosigner]) == [log_key, cosigner]
    # A partner keeps it; later, the log is checked against the partner's copy.
    copy = witness.folder / "partner.checkpoint"
    copy.write_text(answer["signed_note"])
    assert "ok: the log contains the checkpoint held elsewhere (size 30) and has grown by 5" in (
        verify("--against", str(copy))
    )
    truncate(28)
    with pytest.raises(CommandError, match="covers 30: entries from position 28 on were removed"):
        verify("--against", str(copy))


def test_the_operator_can_print_the_signed_checkpoint_for_someone_to_hold(db, witness, tmp_path):
    witnessed_log(30)
    out = StringIO()
    call_command("auditlog", "show", "--note", stdout=out)
    assert out.getvalue().encode() == witness.held().read_bytes()
    (tmp_path / "held.checkpoint").write_text(out.getvalue())
    assert "ok: the log contains the checkpoint held elsewhere (size 30)" in verify(
        "--against", str(tmp_path / "held.checkpoint")
    )


def test_verify_against_refuses_a_checkpoint_the_log_did_not_sign(db, witness, tmp_path):
    witnessed_log(10)
    held = witness.held().read_bytes()
    cases = {
        "forged root": (held.replace(b"\n10\n", b"\n9\n"), "the held checkpoint was altered"),
        "not a note": (b"hello\n", "the file is not a signed checkpoint"),
        "another log": (
            _signed(b"other.test/log\n10\n" + held.split(b"\n")[2] + b"\n", "other.test/log"),
            "the checkpoint is of another log",
        ),
        "a stranger's key": (
            _signed(note.note_parse(held).text, conf.AUDITLOG_ORIGIN),
            "not signed by any key this log has used",
        ),
    }
    for name, (data, reason) in cases.items():
        path = tmp_path / f"{name}.checkpoint"
        path.write_bytes(data)
        with pytest.raises(CommandError, match=reason):
            verify("--against", str(path))
    with pytest.raises(CommandError, match="cannot read"):
        verify("--against", str(tmp_path / "missing"))


def _signed(text: bytes, name: str) -> bytes:
    signer = note.Signer.generate(name, note.ED25519)
    return bytes(note.Note(text, (signer.sign(text),)))


def test_verify_checks_the_witness_cosignatures_kept_with_the_checkpoints(db, witness):
    witnessed_log(30)
    assert "with 1 cosignature(s)" in verify()
    cosignature = Cosignature.objects.get()
    data = bytearray(note.b64decode(cosignature.signature))
    data[20] ^= 1
    Cosignature.objects.filter(pk=cosignature.pk).update(
        signature=base64.b64encode(bytes(data)).decode()
    )
    with pytest.raises(
        CommandError, match=f"checkpoint at size 30: the cosignature of witness {NAME} does not"
    ):
        verify()


@pytest.mark.parametrize(
    "witnesses, quorum, reason",
    [
        (["http://w.test/"], 1, "is not `<http(s) url> <verifier key>`"),
        (["ftp://w.test/ w+0011aabb+BAAA"], 1, "is not `<http(s) url> <verifier key>`"),
        (
            ["http://w.test/ w+0011aabb+BAAA"],
            2,
            "CIVIC_AUDITLOG_WITNESS_QUORUM must be between 1 and",
        ),
        (
            ["http://w.test/ w+0011aabb+BAAA"],
            0,
            "CIVIC_AUDITLOG_WITNESS_QUORUM must be between 1 and",
        ),
    ],
)
def test_witness_settings_that_cannot_work_are_refused_naming_the_setting(
    witnesses, quorum, reason
):
    from civic.core.config import ConfigError
    from civic.exchange.conf import _witnesses_check

    with pytest.raises(ConfigError, match=re.escape(reason)):
        _witnesses_check(witnesses, quorum)
