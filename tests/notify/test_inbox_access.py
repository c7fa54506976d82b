"""A resident reads only their own messages: anyone else's is "not found", by any id."""

from __future__ import annotations

import pytest

from civic.core.errors import NotFound
from civic.identity import services as identity
from civic.notify.models import Message
from civic.notify.services import message_mark_read
from tests.notify.builders import PDF, send, two_residents


def test_a_resident_cannot_read_or_download_another_residents_message(client, db):
    owner, other = two_residents()
    message = send(owner, attachment=("answers.pdf", PDF, "application/pdf"))
    client.force_login(identity.resident_account_ensure(personal_number=other))

    assert "We received your application" not in client.get("/my/inbox/").content.decode()
    page = client.get(f"/my/inbox/{message.pk}/")
    assert page.status_code == 404
    assert "We received your application" not in page.content.decode()
    assert client.get(f"/my/inbox/{message.pk}/attachment/").status_code == 404
    assert client.get(f"/my/inbox/{message.pk + 1000}/").status_code == 404
    with pytest.raises(NotFound):
        message_mark_read(personal_number=other, message_id=message.pk)
    assert Message.objects.get(pk=message.pk).read_at is None  # the owner has not read it


def test_a_message_without_an_attachment_has_no_download(client, db):
    owner, _ = two_residents()
    message = send(owner)
    client.force_login(identity.resident_account_ensure(personal_number=owner))
    assert client.get(f"/my/inbox/{message.pk}/attachment/").status_code == 404


@pytest.mark.parametrize("path", ["/my/inbox/", "/my/inbox/1/", "/my/inbox/preferences/"])
def test_the_inbox_asks_a_visitor_to_log_in(client, db, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"] == f"/login/?next={path}"


def test_the_inbox_pages_through_many_messages_newest_first(client, db):
    owner, _ = two_residents()
    for number in range(27):
        send(owner, reference=f"CASE-{number:03}")
    client.force_login(identity.resident_account_ensure(personal_number=owner))
    first = client.get("/my/inbox/").content.decode()
    assert "Page 1 of 2" in first and "CASE-026" in first and "CASE-001" not in first
    second = client.get("/my/inbox/?page=2").content.decode()
    assert "CASE-001" in second and "CASE-000" in second and "CASE-026" not in second
