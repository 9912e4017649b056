"""The consent forms' texts, by version (152-ФЗ ст. 9 as amended by 156-ФЗ).

Since 01.09.2025 a consent to processing is a document of its own, and the
consent to transfer to third parties is another. Each printed form carries
its version; a consent records the version it was given on, so the text a
person signed can be told years later. A changed text is a new version here
and a new template; the old template stays for the consents given on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from mentoring.models import Consent


@dataclass(frozen=True)
class ConsentText:
    purpose: str
    version: str
    template: str


PROCESSING = ConsentText(
    purpose=Consent.Purpose.PROCESSING,
    version="2025-09/обработка",
    template="documents/consent.html",
)
TRANSFER = ConsentText(
    purpose=Consent.Purpose.TRANSFER,
    version="2025-09/передача",
    template="documents/consent_transfer.html",
)
CURRENT = {text.purpose: text for text in (PROCESSING, TRANSFER)}

# The one form used before 156-ФЗ: processing and transfer in one text
# (set on the consents recorded before this version existed, migration 0013).
LEGACY_VERSION = "до 01.09.2025/единая"


def current_text_version(kind: str) -> str:
    """The version a consent of the kind is given on now; "" for the kinds
    the school words on its own form (duties, distribution)."""
    text = CURRENT.get(Consent.PURPOSE_OF_KIND[kind])
    return text.version if text else ""
