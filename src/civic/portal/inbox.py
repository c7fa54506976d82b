"""The resident's inbox: their messages, one message with its attachment, and how they want to
hear of new ones. A resident only ever sees their own messages: anyone else's is "not found"."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from civic.core.params import page_param
from civic.identity.selectors import resident_personal_number
from civic.notify.selectors import (
    deliveries_for_message,
    inbox_page,
    message_get,
    preference_get,
)
from civic.notify.services import PreferenceRefused, message_mark_read, preference_set
from civic.portal.views import acting_for

PAGE_SIZE = 25


class TelInput(forms.TextInput):
    input_type = "tel"


class PreferencesForm(forms.Form):
    """The fields; whether an address is right is for notify's ``preference_set`` to say."""

    channels = forms.MultipleChoiceField(
        label=_("How else do you want to hear of new messages?"),
        help_text=_("Select all that apply. Every message is always in your inbox here."),
        choices=[
            ("email", _("By email, with the whole message")),
            ("sms", _("By text message, saying there is a new message")),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    email = forms.CharField(
        label=_("Email address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput,
        help_text=_("Only needed if you choose email."),
        error_messages={"max_length": _("Enter an email address of at most 254 characters.")},
    )
    phone = forms.CharField(
        label=_("Mobile phone number"),
        required=False,
        max_length=20,
        widget=TelInput,
        help_text=_("Only needed if you choose text message. For example, 06 12345678."),
        error_messages={"max_length": _("Enter a mobile phone number of at most 20 characters.")},
    )
    language = forms.ChoiceField(
        label=_("Language of your messages"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the language of your messages."),
            "invalid_choice": _("Choose the language of your messages."),
        },
    )


def _number_or_none(request: HttpRequest) -> str | None:
    return resident_personal_number(user=request.user)


def _reader_or_none(request: HttpRequest) -> str | None:
    """Whose messages the page shows: the person the resident acts for, while they do (a
    parent reads their child's messages), else the resident's own."""
    number = _number_or_none(request)
    if number is None:
        return None
    return acting_for(request) or number


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """My messages, newest first, unread ones marked."""
    number = _reader_or_none(request)
    if number is None:
        return redirect("home")
    page_number = page_param(request.GET)
    page = inbox_page(personal_number=number, offset=(page_number - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    pages = max(1, -(-page["total"] // PAGE_SIZE))
    if page_number > pages:  # past the last page: show the last one
        page_number = pages
        page = inbox_page(
            personal_number=number, offset=(page_number - 1) * PAGE_SIZE, limit=PAGE_SIZE
        )
    return render(
        request,
        "portal/inbox.html",
        {
            "inbox": page,
            "page": page_number,
            "pages": pages,
            "previous_page": page_number - 1 if page_number > 1 else None,
            "next_page": page_number + 1 if page_number < pages else None,
        },
    )


@login_required
def message(request: HttpRequest, message_id: int) -> HttpResponse:
    """One message, marked read by opening it."""
    number = _reader_or_none(request)
    if number is None:
        return redirect("home")
    found = message_get(personal_number=number, message_id=message_id)
    if found is None:
        raise Http404(gettext("There is no such message in your inbox."))
    was_unread = found.read_at is None
    size = None
    if found.attachment:
        try:
            size = found.attachment.size
        except OSError:  # the file is gone from storage; the message is still shown
            size = None
    message_mark_read(personal_number=number, message_id=found.pk)
    return render(
        request,
        "portal/inbox_message.html",
        {
            "message": found,
            "was_unread": was_unread,
            "attachment_size": size,
            "paragraphs": [p.strip() for p in found.shown_body.split("\n\n") if p.strip()],
            "deliveries": [
                d for d in deliveries_for_message(message_id=found.pk) if d.channel != "inbox"
            ],
        },
    )


@login_required
def attachment(request: HttpRequest, message_id: int) -> FileResponse:
    """The message's attachment, for its recipient only."""
    number = _reader_or_none(request)
    found = message_get(personal_number=number, message_id=message_id) if number else None
    if found is None or not found.attachment:
        raise Http404(gettext("There is no such attachment in your inbox."))
    try:
        file = found.attachment.open("rb")
    except OSError:
        raise Http404(gettext("There is no such attachment in your inbox.")) from None
    response = FileResponse(
        file,
        as_attachment=True,
        filename=found.attachment_name or "attachment",
        content_type=found.attachment_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """How I hear of new messages: email, text message, and the language they are written in."""
    number = _number_or_none(request)
    if number is None:
        return redirect("home")
    current = preference_get(personal_number=number)
    initial = {"language": settings.LANGUAGE_CODE}
    if current is not None:
        initial = {
            "channels": [
                c for c, on in (("email", current.by_email), ("sms", current.by_sms)) if on
            ],
            "email": current.email,
            "phone": current.phone,
            "language": current.language,
        }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            preference_set(
                personal_number=number,
                email=data["email"],
                phone=data["phone"],
                by_email="email" in data["channels"],
                by_sms="sms" in data["channels"],
                language=data["language"],
            )
        except PreferenceRefused as refusal:
            for field, problem in refusal.problems.items():
                form.add_error(field, problem)
        else:
            messages.success(request, gettext("Your choices are saved."))
            return redirect("portal:inbox")
    return render(
        request,
        "portal/inbox_preferences.html",
        {"form": form},
    )
