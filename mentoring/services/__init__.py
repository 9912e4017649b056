"""State changes that matter, one module per area; imported here so callers
write `from mentoring import services` or `from mentoring.services import …`.

Each service checks its rules, runs in one transaction, leaves an audit entry
and raises `ValidationError` with a Russian message the page shows as it is.
"""

from .accounts import (  # noqa: F401
    STAFF_ROLES,
    create_account,
    record_password_set,
)
from .audit import (  # noqa: F401
    ensure_acts_for,
    lower_first,
    record_change,
)
from .banks import (  # noqa: F401
    WORKING_BANK_STATUSES,
    check_bank_entry,
    enter_mentee_bank,
    enter_mentor_bank,
    save_mentee_profile,
    save_mentor_profile,
)
from .consents import (  # noqa: F401
    CATEGORIES_NEEDING_DUTIES_CONSENT,
    ensure_consents,
    ensure_may_record_about,
    give_consent,
    missing_consents,
    order_consent_problems,
    persons_named_by_order,
    replace_consent_scan,
    required_consent_kinds,
    withdraw_consent,
)
from .documents_required import (  # noqa: F401
    default_valid_until,
    order_document_errors,
    record_document,
    required_document_errors,
)
from .logins import (  # noqa: F401
    STAFF_LOGIN_ROLES,
    accept_invitation,
    create_logins,
    login_name,
    open_invitation,
    renew_invitations,
)
from .pairs import (  # noqa: F401
    change_pair_status,
    check_pair_composition,
    create_pair,
    ensure_pair_not_on_signature,
    open_mentee_load,
    record_pair_result,
    save_pair_draft,
    set_pair_participants,
)
from .trainings import (  # noqa: F401
    ensure_may_record_training,
    record_training,
    remove_training,
)
from .withdrawals import (  # noqa: F401
    apply_consent_consequences,
    apply_consent_expiries,
)
