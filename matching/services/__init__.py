"""Writes of the matching app: every state change goes through a function here (STYLE.md),
and each decides who may make it. Callers import `matching.services`; the topics live in
matches (request → choice → answer → end, expiry), batch (staff runs), contacts (the mentor's
log) and erasure."""

from .batch import (
    BATCH_TOP_K,
    FULL_GRAPH_BELOW_PAIRS,
    HOLD_BLOCKS_MAX_PAIRS,
    MENTOR_TOP_K,
    batch_plan,
    batch_run,
    proposals_notify,
)
from .contacts import contact_record
from .erasure import matching_erase
from .matches import (
    PROPOSAL_TTL,
    match_accept,
    match_choose,
    match_decline,
    match_end,
    match_request_create,
    proposals_expire,
)

__all__ = [
    "BATCH_TOP_K",
    "FULL_GRAPH_BELOW_PAIRS",
    "HOLD_BLOCKS_MAX_PAIRS",
    "MENTOR_TOP_K",
    "PROPOSAL_TTL",
    "batch_plan",
    "batch_run",
    "contact_record",
    "match_accept",
    "match_choose",
    "match_decline",
    "match_end",
    "match_request_create",
    "matching_erase",
    "proposals_expire",
    "proposals_notify",
]
