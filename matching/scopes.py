"""Matching's words in the registries of the layers below: its consent scope and record kind
(members.access) and the notification kinds it sends (notifications.kinds). apps.py registers
them; the rest of the app uses these constants, so members and notifications name no feature."""

from __future__ import annotations

# The member's consent scope for her mentor's contact log, and the record kind it opens.
CONTACT_LOG = "contact_log"

# Notifications this app sends.
MATCH_PROPOSED = "match_proposed"
MATCH_ACCEPTED = "match_accepted"
MATCH_DECLINED = "match_declined"
PROPOSAL_EXPIRED = "proposal_expired"
