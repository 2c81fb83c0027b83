"""Signals across app boundaries, so a base app can say something changed without knowing who cares."""

from django.dispatch import Signal

# Areas or their population figures changed (sent by network; measurement recomputes its figures).
reference_data_changed = Signal()
