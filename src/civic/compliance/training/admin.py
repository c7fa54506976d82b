"""The back office for training records: an agency's administrator and data protection
officer keep their own staff's records; nobody else sees them."""

from django.contrib import admin
from django.core.exceptions import ValidationError

from civic.compliance.training.models import TrainingRecord
from civic.compliance.training.services import training_record_check
from civic.core.errors import CivicError
from civic.identity.backoffice import EVERYTHING, AgencyScopedAdmin
from civic.identity.models import Role


@admin.register(TrainingRecord)
class TrainingRecordAdmin(AgencyScopedAdmin):
    agency_path = "agency"
    fields = ("user", "course", "provider", "completed_on", "valid_until")
    role_permissions = {Role.DATA_PROTECTION_OFFICER: EVERYTHING, Role.ADMINISTRATOR: EVERYTHING}
    list_display = ("user", "course", "completed_on", "valid_until")
    list_filter = ("course",)
    search_fields = ("user__username", "user__last_name")
    date_hierarchy = "valid_until"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class Checked(form):
            def clean(self):
                cleaned = super().clean()
                completed_on, valid_until = cleaned.get("completed_on"), cleaned.get("valid_until")
                if completed_on and valid_until:
                    try:
                        training_record_check(
                            user=cleaned.get("user") or (obj.user if obj else None),
                            by=request.user,
                            completed_on=completed_on,
                            valid_until=valid_until,
                        )
                    except CivicError as refusal:
                        raise ValidationError(str(refusal)) from None
                return cleaned

        return Checked

    def save_model(self, request, obj, form, change):
        # The record is the staff member's agency's (for the operator too, who picks anyone);
        # for everyone else the scoped choice of staff already makes it their own agency.
        obj.agency_id = obj.user.agency_id
        super().save_model(request, obj, form, change)
