"""What the core announces, for the apps built on it to act upon.

The core imports none of its satellites (the layers contract in
pyproject.toml): it says what happened and they listen. Each signal is sent
inside the service's transaction, so what a receiver writes commits or rolls
back with the change itself, and a receiver's error refuses the change.
"""

from django.dispatch import Signal

# Sent by `sign_order` once the order is numbered, its pairs active and its
# PDF stored. Arguments: `order` (signed), `by` (the director who signed),
# `on` (the day of signing; earlier than today for an order signed on paper).
order_signed = Signal()
