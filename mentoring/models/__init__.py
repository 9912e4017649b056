"""People and the mentoring itself, one module per area; every model is
importable from `mentoring.models` (Django's app registry loads this package).
"""

from .agreements import MentorAgreement, MentorAgreementQuerySet  # noqa: F401
from .audit import AuditEntry, AuditEntryQuerySet  # noqa: F401
from .banks import (  # noqa: F401
    BankStatus,
    MenteeProfile,
    MentoringForm,
    MentorProfile,
    MentorTraining,
)
from .base import (  # noqa: F401
    AGE_OF_MAJORITY,
    MAX_UPLOAD_BYTES,
    ORGANIZATION_ROLES,
    Role,
    ScopedByOrganizationQuerySet,
    ScopedByPairQuerySet,
    ScopedByPersonQuerySet,
    age_on,
    check_scan_content,
    limit_upload_size,
    private_upload_path,
    scan_content_type,
    scope_by_role,
)
from .batches import DocumentBatch  # noqa: F401
from .destruction import DestructionAct  # noqa: F401
from .documents import (  # noqa: F401
    DocumentKind,
    DocumentRequirement,
    PersonDocument,
    PersonDocumentQuerySet,
    add_months,
)
from .invitations import Invitation  # noqa: F401
from .matching import (  # noqa: F401
    MatchingRun,
    Preference,
    Suggestion,
    UnmatchedMentee,
)
from .orders import Order, OrderAcquaintance, OrderItem, OrderReward  # noqa: F401
from .pairs import (  # noqa: F401
    Meeting,
    Pair,
    PairQuerySet,
    Participation,
    Program,
    ProgramItem,
)
from .people import (  # noqa: F401
    Consent,
    ConsentQuerySet,
    District,
    ImportColumnMapping,
    Organization,
    OrganizationQuerySet,
    Person,
    PersonQuerySet,
    Region,
    User,
    consent_expired_by,
    consent_valid_on,
    consent_withdrawn_by,
)
from .results import ProgramResult  # noqa: F401
