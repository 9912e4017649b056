"""Orders: drafted by the curator, sent for signature, signed or returned.

One module per step: `drafts` (the curator's edits), `signing` (sent for
signature, signed or returned), `register` (the school's journal of
orders), `storage` (the signed PDF), `extracts` (a participant's выписка),
`texts` (the standard wording). Every public name is
imported here, so callers keep writing
`from mentoring.services.orders import sign_order`.
"""

from .drafts import (  # noqa: F401
    create_order,
    create_pair_order,
    ensure_editable,
    mark_acquainted,
    refresh_order_text,
    release_pairs,
    save_order_draft,
    set_order_acquaintances,
    set_order_items,
    set_order_rewards,
)
from .extracts import (  # noqa: F401
    extract_certifier,
    extract_text,
    issue_order_extract,
)
from .register import (  # noqa: F401
    update_order_register,
)
from .signing import (  # noqa: F401
    check_ready_for_signature,
    consent_problems,
    ensure_can_sign,
    notify_order_decided,
    notify_order_submitted,
    register_paper_order,
    return_order,
    sign_order,
    submit_order,
)
from .storage import (  # noqa: F401
    store_order_pdf,
    store_signed_order_pdf,
    stored_order_pdf,
)
from .texts import (  # noqa: F401
    StandardText,
    order_standard_text,
    pair_clause,
    standard_order_text,
    standard_pair_order_text,
)
