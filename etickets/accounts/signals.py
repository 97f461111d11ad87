"""Events of an account that other apps act on, without accounts importing them."""

from django.dispatch import Signal

# Sent with ``user`` and ``reason`` after the account's credentials or rights changed (its
# password, its second factor, a role, its activation): whatever was granted under the old
# ones must end (the API app revokes every token of the user).
credentials_changed = Signal()
