"""Documents in object storage, set by Civic's settings alone as production sets them
(CIVIC_DOCUMENTS_STORAGE_BACKEND=storages.backends.s3.S3Storage, _BUCKET, _ENDPOINT_URL, and
boto3's own AWS_* credentials): `civic documents process` on a fresh database stores each file
once by its hash in the bucket, its page images beside it, none on the local disk; a second run
reads nothing again. The S3 server is moto's, in a thread on a free port, spoken to over HTTP by
boto3 as any object store is (no MinIO is packaged for Debian or on PyPI)."""

from __future__ import annotations

import hashlib
import socket
import uuid

import pytest

from tests.documents import samples
from tests.setup.builders import civic

boto3 = pytest.importorskip("boto3")
pytest.importorskip("storages")
moto_server = pytest.importorskip("moto.server")

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "civic-test",
    "AWS_SECRET_ACCESS_KEY": "civic-test-secret",
    "AWS_DEFAULT_REGION": "eu-west-1",
}


@pytest.fixture(scope="module")
def s3_endpoint():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint):
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="eu-west-1",
                          aws_access_key_id="civic-test", aws_secret_access_key="x")  # fmt: skip
    name = f"civic-documents-{uuid.uuid4().hex[:8]}"
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    return client, name


def _objects(client, name: str) -> list[str]:
    listed = client.list_objects_v2(Bucket=name).get("Contents", [])
    return sorted(item["Key"] for item in listed)


@pytest.mark.slow
def test_the_backlog_command_keeps_documents_once_in_the_bucket_by_settings_alone(
    fresh_database, tmp_path, s3_endpoint, bucket
):
    client, name = bucket
    folder = tmp_path / "in"
    folder.mkdir()
    letter = samples.letter_pdf([samples.ENGLISH])
    (folder / "letter.pdf").write_bytes(letter)
    (folder / "the same letter again.pdf").write_bytes(letter)
    scan = samples.encoded(samples.scan_image([samples.DUTCH], dpi=200))
    (folder / "scan.png").write_bytes(scan)
    env = {
        **fresh_database,
        **CREDENTIALS,
        "CIVIC_DOCUMENTS_STORAGE_BACKEND": "storages.backends.s3.S3Storage",
        "CIVIC_DOCUMENTS_STORAGE_BUCKET": name,
        "CIVIC_DOCUMENTS_STORAGE_ENDPOINT_URL": s3_endpoint,
    }

    run = civic("documents", "process", "--folder", str(folder), "--no-progress", env=env)
    assert run.returncode == 0, run.stderr
    assert "3 files: 2 documents read now, 1 read before or duplicates" in run.stdout

    stored = _objects(client, name)
    for data in (letter, scan):
        digest = hashlib.sha256(data).hexdigest()
        place = f"documents/{digest[:2]}/{digest}"
        assert f"{place}/original" in stored and f"{place}/page-1.png" in stored
        original = client.get_object(Bucket=name, Key=f"{place}/original")["Body"].read()
        assert original == data
    assert len(stored) == 4  # the letter once, though it came twice
    assert not list((tmp_path / "var").glob("media/documents/**/original"))  # none on disk

    again = civic("documents", "process", "--folder", str(folder), "--no-progress", env=env)
    assert again.returncode == 0, again.stderr
    assert "0 documents read now, 3 read before" in again.stdout
    assert _objects(client, name) == stored


def test_a_bucket_that_is_not_there_stops_the_command_with_the_stores_answer(
    fresh_database, tmp_path, s3_endpoint
):
    """A wrong bucket name is the store's refusal, said, not a document lost in silence."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "letter.pdf").write_bytes(samples.letter_pdf([samples.ENGLISH]))
    env = {
        **fresh_database,
        **CREDENTIALS,
        "CIVIC_DOCUMENTS_STORAGE_BACKEND": "storages.backends.s3.S3Storage",
        "CIVIC_DOCUMENTS_STORAGE_BUCKET": "no-such-bucket",
        "CIVIC_DOCUMENTS_STORAGE_ENDPOINT_URL": s3_endpoint,
    }
    run = civic("documents", "process", "--folder", str(folder), "--no-progress", env=env)
    assert run.returncode == 1
    said = run.stderr.strip().splitlines()[-1]
    assert said.startswith("CommandError: Stopped: the document store did not keep documents/")
    assert "NoSuchBucket" in said and "CIVIC_DOCUMENTS_STORAGE_BACKEND" in said
    assert "Traceback" not in run.stderr
