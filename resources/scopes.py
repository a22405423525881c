"""Names resources registers with members.access and notifications (apps.py)."""

from __future__ import annotations

REFERRALS = "referrals"  # record kind: a member's referrals and their follow-ups
REFERRAL_FOLLOW_UP = "referral_follow_up"  # notification kind, to the referrer
