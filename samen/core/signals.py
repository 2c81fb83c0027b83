"""Signals across app boundaries, so a base app can say something changed without knowing who cares."""

from django.dispatch import Signal

# Areas or their population figures changed (sent by network; measurement recomputes its figures).
reference_data_changed = Signal()

# A person downloads the data Samen holds about them (sent by network with user=...). Each receiver in a
# higher app returns a dict of sections to add to the export, e.g. {"event_registrations": [...]}.
personal_data_export = Signal()
