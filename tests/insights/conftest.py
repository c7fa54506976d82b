import pytest

from civic.identity.models import Role
from civic.identity.selectors import agency_get
from tests.builders import create_staff
from tests.insights.builders import a_case


@pytest.fixture
def parking_history(db):
    """In the last 90 days: 10 permits opened; 8 decided (6 by the rules, in 2 days; 2 by a
    caseworker, one of them late); 2 still open, one past its deadline."""
    for _ in range(6):
        a_case(opened_days_ago=30, decided_days_ago=28, automated=True)
    a_case(opened_days_ago=40, decided_days_ago=30)
    a_case(opened_days_ago=80, decided_days_ago=10, deadline_days=20)  # 50 days late
    a_case(opened_days_ago=5)
    a_case(opened_days_ago=70, deadline_days=20)  # open, past its deadline
    a_case(opened_days_ago=400, decided_days_ago=380)  # outside the period


@pytest.fixture
def manager(db):
    return create_staff(roles=[Role.SERVICE_OWNER], agency=agency_get(code="havenstad"))
