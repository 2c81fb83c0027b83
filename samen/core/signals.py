"""Signals across app boundaries, so a base app can say something changed without knowing who cares."""

from django.dispatch import Signal

# Areas or their population figures changed (sent by network; measurement recomputes its figures).
reference_data_changed = Signal()

# A person downloads the data Samen holds about them (sent by network with user=...). Each receiver in a
# higher app returns a dict of sections to add to the export, e.g. {"event_registrations": [...]}.
personal_data_export = Signal()

# Which language a person reads their mail in (sent by core.mail with email=...): a receiver in a higher app that
# knows returns "nl" or "en" (communication: the profile's "language of my mail"), else None.
mail_language = Signal()

# Things that happened in the apps below `communication`, sent by their service functions once the write is
# committed (so a rolled-back write tells nobody). Arguments are ids: a receiver reads the committed state.
# `communication` turns them into notifications for the people who follow or must act.
event_created = Signal()  # event_id
event_published = Signal()  # event_id, campaign_only (an existing event became public, or its campaign took it)
activity_created = Signal()  # activity_id
activity_published = Signal()  # activity_id (an existing activity became public: it and its events are news now)
role_signed_up = Signal()  # signup_id
role_invited = Signal()  # invitation_id (a role that needs this member)
registration_made = Signal()  # registration_id
proposal_answered = Signal()  # proposal_id
measurements_submitted = Signal()  # measurement_ids
measurements_returned = Signal()  # measurement_ids, comment
partner_proposed = Signal()  # proposal_id
member_joined = Signal()  # member_id (someone brought by another member joined)
