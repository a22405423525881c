"""Authorization matrix (issue 12, "What else to build" 4), generated from the URL configuration.

Every API endpoint under /api/v1/ and every HTML page (from `get_resolver()`; the admin, static
files, the schema and its docs are left out) x 16 personas (Maya, the member whose record is the
subject, and the people around her in her program and in a second one, plus anonymous) x each
method the route serves, against the expected answers in one table, ROUTES. DRF views are asked
the methods their class defines; function pages GET and POST (Django's decorators answer 405
where a page serves only one). URL parameters name Maya's objects (one `world`, built once).

Size: 174 routes (82 API, 92 pages), 293 route-methods;
293 x 16 personas = 4688 answers. Leaks (an "ok" where the table says 403 or 404, or an answer
that names her to someone outside her visibility): 0.

Writes send `{}` (pages an empty form, CSRF off), so "ok" on a write means the caller got past
every visibility and role check to the body's validation; where a service decides who may write
only after validating, BODIES sends a valid body instead, so the answer is the rule's. Each
request runs in a savepoint that is rolled back: writes are harmless and every persona meets the
same state. Beyond the status, an answer that names Maya (HER_NAME) to an outsider fails too.

A route without a row fails `test_every_route_has_a_row_and_every_row_a_route`, and so does a
row for a route that is gone; `test_the_second_organization_never_reaches_her_objects` holds the
table itself to "never ok across organizations".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient
from rest_framework.views import APIView

from common.exceptions import api_not_found

PERSONAS = (
    "member",  # Maya, a client: her own record is the subject of every row
    "other_member",  # Luis, another client of her program
    "mentor",  # Jordan, her active mentor, holding a grant of every scope
    "other_mentor",  # Casey, a mentor of her program with no relation to her
    "ex_mentor",  # Rene, her first mentor: that match has ended
    "clinician",  # Dr. Reyes, her treating clinician (treatment consent given), facilitates her group
    "other_clinician",  # Dr. Patel, a clinician of her program, not on her care team
    "staff",  # Sam, program staff
    "family_granted",  # Lee, on her care team, with a grant of every scope
    "family_ungranted",  # Robin, on her care team, no grant
    "o_member",  # Priya, a client of Harbor House (the second organization) ...
    "o_mentor",  # ... Ade, Priya's mentor,
    "o_clinician",  # ... Dr. Kim, Priya's clinician,
    "o_staff",  # ... Omar, Harbor House staff,
    "o_family",  # ... Kai, Priya's family, with a grant
    "anonymous",  # nobody signed in
)
# The people outside Maya's visibility: they may reach their own things, never hers.
OUTSIDERS = ("other_member", "other_mentor", "ex_mentor", "o_member", "o_mentor", "o_clinician", "o_staff", "o_family")
SECOND_ORG = ("o_member", "o_mentor", "o_clinician", "o_staff", "o_family")
CLASSES = {"ok", "401", "403", "404", "405", "login"}


def cols(line: str) -> dict[str, str]:
    """One profile: the answer class of each persona, in the order of the header below."""
    answers = line.replace("|", " ").split()
    assert len(answers) == len(PERSONAS), line
    assert set(answers) <= CLASSES, line
    return dict(zip(PERSONAS, answers, strict=True))


def page(profile: dict[str, str]) -> dict[str, str]:
    """The same answers on an HTML page: anonymous is sent to sign in instead of a 401."""
    return {**profile, "anonymous": "login" if profile["anonymous"] == "401" else profile["anonymous"]}


# Answer classes: "ok" = the request reached the object's own rules (2xx, 400 or 409; on pages also
# a redirect other than to sign-in); "403" = a role or rule refuses a caller who may see the object;
# "404" = outside the caller's visibility; "405" = the method is not served; "401" = anonymous on
# the API; "login" = anonymous on a page, sent to sign in.
#
# fmt: off
#                              her  oth  her  oth  ex-  her  oth  staf fam  fam  | 2nd  2nd  2nd  2nd  2nd  | anon
#                              self memb ment ment ment clin clin f    +gr  -gr  | memb ment clin staf fam  |
# -- nothing of hers: the caller's own things, or no one's --------------------------------------
PUBLIC                 = cols("ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   | ok   ok   ok   ok   ok   | ok")
ANY_SIGNED_IN          = cols("ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   | ok   ok   ok   ok   ok   | 401")
CLIENTS                = cols("ok   ok   403  403  403  403  403  403  403  403  | ok   403  403  403  403  | 401")
CLIENTS_MENTORS        = cols("ok   ok   ok   ok   ok   403  403  403  403  403  | ok   ok   403  403  403  | 401")
CLIENTS_FAMILY         = cols("ok   ok   403  403  403  403  403  403  ok   ok   | ok   403  403  403  ok   | 401")
FAMILY                 = cols("403  403  403  403  403  403  403  403  ok   ok   | 403  403  403  403  ok   | 401")
MENTORS                = cols("403  403  ok   ok   ok   403  403  403  403  403  | 403  ok   403  403  403  | 401")
CARE_VIEWERS           = cols("403  403  ok   ok   ok   ok   ok   ok   403  403  | 403  ok   ok   ok   403  | 401")
CARE_AND_FAMILY        = cols("403  403  ok   ok   ok   ok   ok   ok   ok   ok   | 403  ok   ok   ok   ok   | 401")
GROUP_MANAGERS         = cols("403  403  403  403  403  ok   ok   ok   403  403  | 403  403  ok   ok   403  | 401")
STAFF                  = cols("403  403  403  403  403  403  403  ok   403  403  | 403  403  403  ok   403  | 401")
NOT_SERVED             = cols("405  405  405  405  405  405  405  405  405  405  | 405  405  405  405  405  | 405")
# a page that signs people in before it says the method is not served
NOT_SERVED_SIGNED_IN   = cols("405  405  405  405  405  405  405  405  405  405  | 405  405  405  405  405  | login")
# -- her record and her objects ---------------------------------------------------------------
# read under consent: staff read the staff scopes (check-in summary, attendance, flag kinds)
HER_RECORD             = cols("ok   404  ok   404  404  ok   404  ok   ok   403  | 404  404  404  404  404  | 401")
# clinical: staff read none of it (questionnaires, the contact log)
HER_CLINICAL           = cols("ok   404  ok   404  404  ok   404  403  ok   403  | 404  404  404  404  404  | 401")
# her profile: everyone on her care team sees at least her name and what matching uses
HER_PROFILE            = cols("ok   404  ok   404  404  ok   404  ok   ok   ok   | 404  404  404  404  404  | 401")
# who treats her: never family (API.md)
HER_CARE_TEAM          = cols("ok   404  ok   404  404  ok   404  ok   403  403  | 404  404  404  404  404  | 401")
HER_CARE_TEAM_CHANGE   = cols("403  404  403  404  404  ok   404  ok   403  403  | 404  404  404  404  404  | 401")
# her objects that only she acts on (her consent, her request, her inbox), behind a client-only role gate
HERS_CLIENT_ROUTE      = cols("ok   404  403  403  403  403  403  403  403  403  | 404  403  403  403  403  | 401")
HERS_ANY_ROUTE         = cols("ok   404  404  404  404  404  404  404  404  404  | 404  404  404  404  404  | 401")
# a proposal or contact log only her (active) mentor answers or writes
HER_MENTOR_ONLY        = cols("404  404  ok   404  404  404  404  404  404  404  | 404  404  404  404  404  | 401")
HER_MENTOR_PAGE        = cols("403  403  ok   404  404  403  403  403  403  403  | 403  404  403  403  403  | login")
# the first organization's objects, read or changed by its staff only (Maya as a user, Jordan as a mentor)
FIRST_ORG_STAFF        = cols("403  403  403  403  403  403  403  ok   403  403  | 403  403  403  404  403  | 401")
# -- her group (organization-visible, run by her clinician) ------------------------------------
ORG_GROUP              = cols("ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   | 404  404  404  404  404  | 401")
GROUP_RUNNERS          = cols("403  403  403  403  403  ok   ok   ok   403  403  | 404  404  404  404  404  | 401")
ATTENDANCE_TAKERS      = cols("403  403  403  403  403  ok   ok   403  403  403  | 404  404  404  404  404  | 401")
# her private conversation with her mentor (the match's): only the two of them; her clinician,
# staff and family never read it (API.md "Conversations")
HER_MATCH_CONVERSATION = cols("ok   404  ok   404  404  404  404  404  404  404  | 404  404  404  404  404  | 401")
# the people on her care team open a direct conversation with her (she names someone else)
HER_CARE_TEAM_PEOPLE   = cols("404  404  ok   404  404  ok   404  404  ok   ok   | 404  404  404  404  404  | 401")
MESSAGING_ROLES        = cols("ok   ok   ok   ok   ok   ok   ok   403  ok   ok   | ok   ok   ok   403  ok   | 401")
# -- her plan, her referrals, the program's directory and curriculum ------------------------------
# her plan: read like HER_CLINICAL (staff never); written by her, her clinician, her mentor
HER_PLAN_WRITE         = cols("ok   404  ok   404  404  ok   404  403  403  403  | 404  404  404  404  404  | 401")
# a goal or step of hers: anyone who cannot read her plan finds no goal (404), family who read it 403
HER_GOAL               = cols("ok   404  ok   404  404  ok   404  404  403  404  | 404  404  404  404  404  | 401")
# referring her: her mentor and clinicians; others who see her 403
HER_REFERRERS          = cols("403  404  ok   404  404  ok   404  403  403  403  | 404  404  404  404  404  | 401")
HER_REFERRERS_PAGE     = cols("403  403  ok   404  404  ok   404  403  403  403  | 403  404  404  403  403  | login")
# the follow-up of a referral Dr. Reyes made: only she records it
HER_REFERRER_ONLY      = cols("403  404  404  404  404  ok   404  404  404  404  | 404  404  404  404  404  | 401")
HER_REFERRER_ONLY_PAGE = cols("403  403  404  404  404  ok   404  403  403  403  | 403  404  404  403  403  | login")
REFERRERS              = cols("403  403  ok   ok   ok   ok   ok   403  403  403  | 403  ok   ok   403  403  | 401")
# the first organization's resource or module
ORG_OBJECT             = cols("ok   ok   ok   ok   ok   ok   ok   ok   ok   ok   | 404  404  404  404  404  | 401")
ORG_OBJECT_STAFF       = cols("403  403  403  403  403  403  403  ok   403  403  | 404  404  404  404  404  | 401")
ORG_MODULE_CLIENTS     = cols("ok   ok   403  403  403  403  403  403  403  403  | 404  403  403  403  403  | 401")
# the staff pages that change one: the role guard answers first (403), then the object (404 to
# the second program's staff)
ORG_OBJECT_STAFF_PAGE  = cols("403  403  403  403  403  403  403  ok   403  403  | 403  403  403  404  403  | login")
# fmt: on


def but(profile: dict[str, str], **changes: str) -> dict[str, str]:
    """A profile with a few personas answered differently (each such change says why beside it)."""
    assert set(changes) <= set(PERSONAS), changes
    return {**profile, **changes}


def not_served_past_the_role(profile: dict[str, str]) -> dict[str, str]:
    """A role-gated page that serves one method: the guard answers first (403, sign in), then 405."""
    return {p: "405" if a == "ok" else a for p, a in page(profile).items()}


# route name -> {"read": GET, "write": POST/PUT/PATCH/DELETE; a method name overrides "write"}
ROUTES: dict[str, dict[str, dict[str, str]]] = {
    # --- API: accounts -----------------------------------------------------------------------
    "api-token": {"write": PUBLIC},
    "api-signup": {"write": PUBLIC},
    "api-logout": {"write": ANY_SIGNED_IN},
    "api-me": {"read": ANY_SIGNED_IN, "PATCH": ANY_SIGNED_IN, "DELETE": CLIENTS_FAMILY},
    "api-me-profile": {"read": CLIENTS_MENTORS, "write": CLIENTS_MENTORS},
    "api-me-export": {"read": ANY_SIGNED_IN},
    "api-me-password": {"write": ANY_SIGNED_IN},
    "api-two-factor": {"write": ANY_SIGNED_IN},
    "api-two-factor-confirm": {"write": ANY_SIGNED_IN},
    "api-users": {"read": STAFF, "write": STAFF},
    "api-user": {"read": FIRST_ORG_STAFF, "write": FIRST_ORG_STAFF},  # /users/<Maya>/
    "api-mentors": {"read": STAFF},
    "api-mentor": {"read": FIRST_ORG_STAFF, "write": FIRST_ORG_STAFF},  # /mentors/<Jordan>/
    # --- API: care team, consent, access log -------------------------------------------------
    "api-clients": {"read": CARE_VIEWERS},  # each caller's own list (and never Maya to outsiders: see NAMES_HER)
    "api-client": {"read": HER_PROFILE},
    "api-care-team": {"read": HER_CARE_TEAM, "write": HER_CARE_TEAM_CHANGE},
    "api-care-team-member": {"write": HER_CARE_TEAM_CHANGE},  # DELETE Lee's place on her team
    "api-consents": {"read": CLIENTS, "write": CLIENTS},
    "api-consent-revoke": {"write": HERS_CLIENT_ROUTE},
    "api-access-log": {"read": CLIENTS},
    "api-disclosures": {"read": CLIENTS},
    "api-audit": {"read": FIRST_ORG_STAFF},  # ?client=<Maya>
    # her own care team and family invitations (issue 10): only she; DELETE names Lee's place on her team
    "api-my-care-team": {"read": CLIENTS},
    "api-family-invite": {"write": CLIENTS},
    "api-my-care-team-member": {"write": HERS_CLIENT_ROUTE},
    # --- API: family members' own recovery, testing results (issue 10) ------------------------
    "api-family-shared": {"read": FAMILY},
    "api-family-checkins": {"read": FAMILY, "write": FAMILY},
    "api-me-testing": {"read": CLIENTS, "write": CLIENTS},
    # ?client=<Maya>: clinical (staff read none of it); a result for her is recorded by her, her
    # clinician and staff; mentors and family never record one (their role gate: 403)
    "api-test-results": {
        "read": HER_CLINICAL,
        "write": but(
            HER_CLINICAL,
            mentor="403",
            other_mentor="403",
            ex_mentor="403",
            staff="ok",
            family_granted="403",
            family_ungranted="403",
            o_mentor="403",
            o_family="403",
        ),
    },
    # --- API: notifications ------------------------------------------------------------------
    "api-reminders": {"read": ANY_SIGNED_IN, "write": ANY_SIGNED_IN},
    "api-notifications": {"read": ANY_SIGNED_IN},
    "api-notifications-read-all": {"write": ANY_SIGNED_IN},
    "api-notification-read": {"write": HERS_ANY_ROUTE},
    # --- API: groups -------------------------------------------------------------------------
    "api-groups": {"read": ANY_SIGNED_IN, "write": GROUP_MANAGERS},
    "api-group": {"read": ORG_GROUP, "write": GROUP_RUNNERS},  # API.md: clinicians and staff change groups
    "api-group-sessions": {"read": ORG_GROUP},
    # {member: Maya}: she leaves or joins herself; clinicians and staff enroll others (API.md)
    "api-group-enroll": {"write": but(GROUP_RUNNERS, member="ok")},
    "api-group-leave": {"write": but(GROUP_RUNNERS, member="ok")},
    "api-group-roster": {"read": GROUP_RUNNERS},  # facilitators, clinicians, staff
    "api-session-attendance": {"read": ATTENDANCE_TAKERS, "write": ATTENDANCE_TAKERS},
    "api-session-cancel": {"write": GROUP_RUNNERS},
    "api-session-move": {"write": GROUP_RUNNERS},
    "api-my-calendar": {"read": ANY_SIGNED_IN, "write": ANY_SIGNED_IN},
    "api-meeting-types": {"read": ANY_SIGNED_IN},
    # --- API: check-ins, assessments, risk flags (?client=<Maya> on reads) ---------------------
    "api-checkins": {"read": HER_RECORD, "write": CLIENTS},
    "api-assessments": {"read": HER_CLINICAL, "write": CLIENTS},
    "api-assessments-due": {"read": CLIENTS},
    # flags are for her care team, not for her (record kind risk_flags: self_reads=False), so the
    # list's role gate answers clients 403, and the resolve finds no flag for her (404)
    "api-risk-flags": {"read": but(HER_RECORD, member="403", other_member="403", o_member="403")},
    "api-risk-flag-resolve": {
        "write": but(HER_RECORD, member="404", mentor="403", staff="403", family_granted="403", family_ungranted="404")
    },
    # --- API: matching -----------------------------------------------------------------------
    # family members ask for a family peer mentor too (issue 10); Maya's request is not theirs (404)
    "api-match-requests": {"write": CLIENTS_FAMILY},
    "api-match-suggestions": {
        "read": but(HERS_CLIENT_ROUTE, staff="ok", o_staff="404", family_granted="404", family_ungranted="404", o_family="404")
    },  # the client, staff
    "api-match-choose": {"write": but(HERS_CLIENT_ROUTE, family_granted="404", family_ungranted="404", o_family="404")},
    "api-matches": {"read": ANY_SIGNED_IN},  # each caller's own matches
    "api-match-accept": {"write": HER_MENTOR_ONLY},
    "api-match-decline": {"write": HER_MENTOR_ONLY},
    # the client, her mentor, staff; her clinician sees the match but may not end it; family do not see it
    "api-match-end": {"write": but(HER_PROFILE, clinician="403", family_granted="404", family_ungranted="404")},
    "api-match-contacts": {
        "read": HER_CLINICAL,
        "write": but(HER_MENTOR_ONLY, member="403", clinician="403", staff="403", family_granted="403", family_ungranted="403"),
    },
    "api-matching-runs": {"write": STAFF},
    # --- API: conversations ------------------------------------------------------------------
    "api-conversations": {"read": ANY_SIGNED_IN, "write": HER_CARE_TEAM_PEOPLE},  # POST {with: Maya}
    "api-conversation-messages": {"read": HER_MATCH_CONVERSATION, "write": HER_MATCH_CONVERSATION},
    "api-conversation-read": {"write": HER_MATCH_CONVERSATION},
    "api-message-report": {"write": HER_MATCH_CONVERSATION},
    "api-moderation-reports": {"read": STAFF},
    "api-moderation-resolve": {"write": FIRST_ORG_STAFF},
    # --- API: dashboards ---------------------------------------------------------------------
    "api-dashboard-caseload": {
        "read": but(
            CARE_VIEWERS,
            other_mentor="404",
            ex_mentor="404",
            other_clinician="404",
            o_mentor="404",
            o_clinician="404",
            o_staff="404",
        )
    },
    "api-dashboard-program": {"read": STAFF},
    # --- API: her plan, milestones, medications --------------------------------------------------
    "api-plan": {"read": HER_CLINICAL},
    "api-plan-backup": {"write": HER_PLAN_WRITE},
    "api-plan-goals": {"write": HER_PLAN_WRITE},
    "api-plan-goal": {"write": HER_GOAL},
    "api-plan-goal-steps": {"write": HER_GOAL},
    "api-plan-step-done": {"write": HER_GOAL},
    "api-my-milestones": {"read": CLIENTS_FAMILY},
    "api-my-medications": {"read": CLIENTS, "write": CLIENTS},
    # --- API: resources, referrals, curriculum ------------------------------------------------
    "api-resources": {"read": ANY_SIGNED_IN, "write": STAFF},
    "api-resource": {"read": ORG_OBJECT, "write": ORG_OBJECT_STAFF},
    # ?client=<Maya>: she, her clinician and her mentor (his own); staff and family are not readers
    "api-referrals": {"read": but(HER_CARE_TEAM, staff="403"), "write": HER_REFERRERS},
    "api-referral-follow-ups": {"write": HER_REFERRER_ONLY},
    "api-curriculum-modules": {"read": ANY_SIGNED_IN, "write": STAFF},
    "api-my-curriculum": {"read": CLIENTS},
    "api-my-module-done": {"write": ORG_MODULE_CLIENTS},
    "api-ops-outbox": {"read": STAFF},
    # --- pages: public ------------------------------------------------------------------------
    "healthz": {"read": PUBLIC, "write": PUBLIC},
    "favicon": {"read": PUBLIC, "write": PUBLIC},
    "account-data": {"read": page(ANY_SIGNED_IN), "write": page(ANY_SIGNED_IN)},
    "javascript-catalog": {"read": PUBLIC},
    "language-set": {"read": NOT_SERVED, "write": PUBLIC},  # a cookie for everyone; her own language when signed in
    "landing": {"read": PUBLIC, "write": PUBLIC},
    "login": {"read": PUBLIC, "write": PUBLIC},
    "logout": {"read": PUBLIC, "write": PUBLIC},
    "signup": {"read": PUBLIC, "write": PUBLIC},
    "password_reset": {"read": PUBLIC, "write": PUBLIC},
    "password_reset_done": {"read": PUBLIC},
    "password_reset_confirm": {"read": PUBLIC, "write": PUBLIC},  # the link's token is the credential
    "password_reset_complete": {"read": PUBLIC},
    "groups-calendar-ics": {"read": PUBLIC, "write": NOT_SERVED},  # the feed's secret token is the credential
    "organization-public": {"read": PUBLIC, "write": NOT_SERVED},
    "organization-meetings-json": {"read": PUBLIC, "write": NOT_SERVED},
    "unsubscribe": {"read": PUBLIC, "write": PUBLIC},  # the link's signed token is the credential
    # --- pages: the caller's own ----------------------------------------------------------------
    "home": {"read": page(ANY_SIGNED_IN), "write": page(ANY_SIGNED_IN)},
    "profile": {"read": page(ANY_SIGNED_IN), "write": page(ANY_SIGNED_IN)},
    "account-export": {"read": page(ANY_SIGNED_IN), "write": page(ANY_SIGNED_IN)},
    "account-close": {"read": NOT_SERVED, "write": page(CLIENTS_FAMILY)},
    "two-factor": {"read": page(ANY_SIGNED_IN), "write": page(ANY_SIGNED_IN)},
    "password-change": {"read": page(ANY_SIGNED_IN), "write": page(ANY_SIGNED_IN)},
    "notifications": {"read": page(ANY_SIGNED_IN), "write": page(ANY_SIGNED_IN)},
    "notifications-read-all": {"read": NOT_SERVED, "write": page(ANY_SIGNED_IN)},
    "notification-read": {"read": NOT_SERVED, "write": page(HERS_ANY_ROUTE)},
    "reminders": {"read": page(ANY_SIGNED_IN), "write": page(ANY_SIGNED_IN)},
    "onboarding": {"read": page(CLIENTS), "write": page(CLIENTS)},
    "onboarding-step": {"read": page(CLIENTS), "write": page(CLIENTS)},
    "privacy": {"read": page(CLIENTS), "write": page(CLIENTS)},
    "privacy-revoke": {"read": NOT_SERVED, "write": page(HERS_CLIENT_ROUTE)},
    "checkin": {"read": page(CLIENTS), "write": page(CLIENTS)},
    "testing": {"read": page(CLIENTS), "write": page(CLIENTS)},
    "family-home": {"read": page(FAMILY), "write": page(FAMILY)},
    "family-checkin": {"read": page(FAMILY), "write": page(FAMILY)},
    "privacy-family-remove": {"read": NOT_SERVED, "write": page(HERS_CLIENT_ROUTE)},
    "progress": {"read": page(CLIENTS), "write": page(CLIENTS)},
    "assessments": {"read": page(CLIENTS), "write": page(CLIENTS)},
    "assessment": {"read": page(CLIENTS), "write": page(CLIENTS)},
    "find-mentor": {"read": page(CLIENTS_FAMILY), "write": page(CLIENTS_FAMILY)},
    "find-mentor-request": {"read": NOT_SERVED, "write": page(CLIENTS_FAMILY)},
    "find-mentor-choose": {"read": NOT_SERVED, "write": page(CLIENTS_FAMILY)},
    "mentor-proposals": {"read": page(MENTORS), "write": page(MENTORS)},
    "groups-directory": {"read": page(ANY_SIGNED_IN), "write": NOT_SERVED_SIGNED_IN},
    "my-groups": {"read": page(ANY_SIGNED_IN), "write": NOT_SERVED_SIGNED_IN},
    "groups-calendar-rotate": {"read": NOT_SERVED_SIGNED_IN, "write": page(ANY_SIGNED_IN)},
    "groups-manage": {"read": page(GROUP_MANAGERS), "write": NOT_SERVED_SIGNED_IN},
    "groups-create": {"read": page(GROUP_MANAGERS), "write": page(GROUP_MANAGERS)},
    "client-list": {"read": page(CARE_AND_FAMILY), "write": page(CARE_AND_FAMILY)},
    "dashboard-caseload": {"read": page(CARE_VIEWERS), "write": page(CARE_VIEWERS)},
    "dashboard-program": {"read": page(STAFF), "write": page(STAFF)},
    "dashboard-program-csv": {"read": page(STAFF), "write": page(STAFF)},
    "matching-runs": {"read": page(STAFF), "write": page(STAFF)},
    "ops-outbox": {"read": page(STAFF), "write": page(STAFF)},
    "staff-users": {"read": page(STAFF), "write": page(FIRST_ORG_STAFF)},  # POST deactivates Maya
    "staff-mentors": {"read": page(STAFF), "write": page(FIRST_ORG_STAFF)},  # POST vets Jordan
    # --- pages: her record and her objects --------------------------------------------------------
    # the page guard lets only staff, clinicians, mentors and family in (403 for clients, here too)
    "client-detail": {
        "read": page(but(HER_PROFILE, member="403", other_member="403", o_member="403")),
        "write": page(but(HER_CARE_TEAM_CHANGE, other_member="403", o_member="403")),
    },
    # the timeline renders the same on a POST
    "client-timeline": {"read": page(HER_RECORD), "write": page(HER_RECORD)},
    "risk-flag-resolve": {
        "read": NOT_SERVED_SIGNED_IN,
        "write": page(but(HER_RECORD, member="404", mentor="403", staff="403", family_granted="403", family_ungranted="404")),
    },
    "match-end": {
        "read": NOT_SERVED,
        # the page guard keeps clinicians and family out by role (403), the second organization by match (404)
        "write": page(
            but(
                HER_PROFILE,
                clinician="403",
                other_clinician="403",
                family_granted="403",
                family_ungranted="403",
                o_clinician="403",
                o_family="403",
            )
        ),
    },
    "contact-log": {"read": NOT_SERVED, "write": HER_MENTOR_PAGE},
    "proposal-accept": {"read": NOT_SERVED, "write": HER_MENTOR_PAGE},
    "proposal-decline": {"read": NOT_SERVED, "write": HER_MENTOR_PAGE},
    # --- pages: conversations (staff are not participants: the page guard answers 403) ----------
    "inbox": {"read": page(MESSAGING_ROLES), "write": page(MESSAGING_ROLES)},
    "conversation": {
        "read": page(but(HER_MATCH_CONVERSATION, staff="403", o_staff="403")),
        "write": page(but(HER_MATCH_CONVERSATION, staff="403", o_staff="403")),
    },
    "conversation-with": {  # a GET (link) goes to the conversation or asks first; a POST opens it
        "read": page(but(HER_CARE_TEAM_PEOPLE, staff="403", o_staff="403")),
        "write": page(but(HER_CARE_TEAM_PEOPLE, staff="403", o_staff="403")),
    },
    "message-report": {"read": NOT_SERVED, "write": page(but(HER_MATCH_CONVERSATION, staff="403", o_staff="403"))},
    "moderation-queue": {"read": page(STAFF), "write": page(FIRST_ORG_STAFF)},  # POST resolves her report
    # --- pages: her group ---------------------------------------------------------------------------
    "groups-join": {"read": NOT_SERVED_SIGNED_IN, "write": page(ORG_GROUP)},
    "groups-leave": {"read": NOT_SERVED_SIGNED_IN, "write": page(ORG_GROUP)},
    "groups-roster": {"read": page(GROUP_RUNNERS), "write": NOT_SERVED_SIGNED_IN},
    "groups-edit": {"read": page(GROUP_RUNNERS), "write": page(GROUP_RUNNERS)},
    "groups-archive": {"read": NOT_SERVED_SIGNED_IN, "write": page(GROUP_RUNNERS)},
    "groups-roster-enroll": {"read": NOT_SERVED_SIGNED_IN, "write": page(GROUP_RUNNERS)},
    "groups-roster-remove": {"read": NOT_SERVED_SIGNED_IN, "write": page(GROUP_RUNNERS)},
    "groups-session-cancel": {"read": NOT_SERVED_SIGNED_IN, "write": page(GROUP_RUNNERS)},
    "groups-attendance": {"read": page(ATTENDANCE_TAKERS), "write": page(ATTENDANCE_TAKERS)},
    # --- pages: her plan, resources, referrals, curriculum, medications ---------------------------
    "my-plan": {"read": page(CLIENTS), "write": page(CLIENTS)},
    "client-plan": {"read": page(HER_CLINICAL), "write": page(HER_PLAN_WRITE)},  # she is sent to "my plan"
    "medications": {"read": page(CLIENTS), "write": page(CLIENTS)},
    "resources": {"read": page(ANY_SIGNED_IN), "write": NOT_SERVED_SIGNED_IN},
    "resources-manage": {"read": page(STAFF), "write": page(STAFF)},
    "resource-edit": {"read": ORG_OBJECT_STAFF_PAGE, "write": ORG_OBJECT_STAFF_PAGE},
    "referral-create": {"read": not_served_past_the_role(REFERRERS), "write": HER_REFERRERS_PAGE},
    "referrals": {"read": page(REFERRERS), "write": not_served_past_the_role(REFERRERS)},
    "referral-follow-up": {"read": not_served_past_the_role(REFERRERS), "write": HER_REFERRER_ONLY_PAGE},
    "curriculum": {"read": page(CLIENTS), "write": not_served_past_the_role(CLIENTS)},
    "curriculum-module": {"read": page(ORG_MODULE_CLIENTS), "write": not_served_past_the_role(CLIENTS)},
    "curriculum-done": {"read": not_served_past_the_role(CLIENTS), "write": page(ORG_MODULE_CLIENTS)},
    "curriculum-manage": {"read": page(STAFF), "write": page(STAFF)},
    "curriculum-module-edit": {"read": ORG_OBJECT_STAFF_PAGE, "write": ORG_OBJECT_STAFF_PAGE},
    "curriculum-module-delete": {"read": not_served_past_the_role(STAFF), "write": ORG_OBJECT_STAFF_PAGE},
}
HER_NAME = "Maya Ostrander"  # unique, so an answer that names her can be told
# Outsiders whose answers may name her: her ex-mentor's own history (the match they had, the
# notices it sent him, his export of them).
NAMES_HER_ALLOWED = {
    ("api-matches", "ex_mentor"),
    ("api-notifications", "ex_mentor"),
    ("notifications", "ex_mentor"),
    ("api-me-export", "ex_mentor"),
    ("account-export", "ex_mentor"),
    ("account-data", "ex_mentor"),
}


# --- the routes, from the URL configuration ---------------------------------------------------

SKIPPED_PREFIXES = ("ops/admin/", "static/", "api/schema/", "api/docs/")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str  # e.g. "api/v1/clients/<id:client_id>/"
    methods: tuple[str, ...]
    is_api: bool


def _methods_of(callback: Any) -> tuple[str, ...]:
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is None:
        return ("GET", "POST")  # a function page: Django's decorators decide what it allows
    names = [m for m in view_class.http_method_names if m not in ("options", "head", "trace") and hasattr(view_class, m)]
    return tuple(m.upper() for m in names)


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


UNNAMED: list[str] = []  # a route needs a name to have a row


def routes_from_urlconf() -> dict[str, Route]:
    found: dict[str, Route] = {}
    for pattern, entry in _walk(get_resolver().url_patterns):
        if pattern.startswith(SKIPPED_PREFIXES) or entry.callback is api_not_found:
            continue  # the admin, static files, the schema and its docs, the api/ not-found catch-all
        if entry.name is None:
            UNNAMED.append(pattern)
            continue
        callback = entry.callback
        view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        is_api = pattern.startswith("api/v1/") or (view_class is not None and issubclass(view_class, APIView))
        assert entry.name not in found, f"two routes are named {entry.name!r}: {found[entry.name].pattern} and {pattern}"
        found[entry.name] = Route(
            name=entry.name,
            pattern=pattern,
            methods=_methods_of(callback),
            is_api=is_api,
        )
    return found


ALL_ROUTES = routes_from_urlconf()
CASES = [(name, method) for name, route in sorted(ALL_ROUTES.items()) for method in route.methods]


# --- the world: Maya and everyone around her ---------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Built once for the module inside a transaction rolled back at its end; every request of
    every test runs in a savepoint of its own that is rolled back too, so each persona sees the
    same starting state."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            ):
                yield _build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _build_world() -> dict[str, Any]:
    from checkins.models import FlagKind
    from checkins.services.flags import risk_flag_open
    from groups import services as group_services
    from groups.models import Session
    from matching import services as matching_services
    from matching.models import ContactLog
    from members.access import all_scopes
    from members.choices import CareRole, Goal, Role
    from members.models import CareTeamMember, ClientProfile, ConsentGrant
    from members.services import consent_grant
    from members.tokens import token_issue
    from notifications.models import Notification
    from tests.factories import OrganizationFactory, UserFactory
    from tests.matching.conftest import make_mentor

    org = OrganizationFactory(slug="riverbend", name="Riverbend Recovery", timezone="America/Chicago", allow_self_signup=True)
    other_org = OrganizationFactory(slug="harbor", name="Harbor House", timezone="America/New_York", allow_self_signup=True)

    def person(o: Any, email: str, name: str, role: str) -> Any:
        return UserFactory(email=email, display_name=name, role=role, organization=o)

    maya = person(org, "maya@example.org", HER_NAME, Role.CLIENT)
    ClientProfile.objects.filter(user=maya).update(
        goal=Goal.MODERATION,
        pathways=["smart", "harm_reduction"],
        languages=["en", "es"],
        formats=["video", "phone"],
        treatment_consent_at=timezone.now(),
        treatment_consent_version="2026-11",
    )
    maya.refresh_from_db()
    mentor_profile = {"pathways": ["smart", "harm_reduction"], "languages": ["en", "es"]}
    users = {
        "member": maya,
        "other_member": person(org, "luis@example.org", "Luis", Role.CLIENT),
        "mentor": make_mentor(org, "Jordan", **mentor_profile),
        "other_mentor": make_mentor(org, "Casey", **mentor_profile),
        "ex_mentor": make_mentor(org, "Rene", **mentor_profile),
        "clinician": person(org, "reyes@example.org", "Dr. Ana Reyes", Role.CLINICIAN),
        "other_clinician": person(org, "patel@example.org", "Dr. Patel", Role.CLINICIAN),
        "staff": person(org, "sam@example.org", "Sam", Role.STAFF),
        "family_granted": person(org, "lee@example.org", "Lee", Role.FAMILY),
        "family_ungranted": person(org, "robin@example.org", "Robin", Role.FAMILY),
        "o_member": person(other_org, "priya@example.org", "Priya", Role.CLIENT),
        "o_mentor": make_mentor(other_org, "Ade", **mentor_profile),
        "o_clinician": person(other_org, "kim@example.org", "Dr. Kim", Role.CLINICIAN),
        "o_staff": person(other_org, "omar@example.org", "Omar", Role.STAFF),
        "o_family": person(other_org, "kai@example.org", "Kai", Role.FAMILY),
    }
    u = users
    for client, members in (
        (
            maya,
            (
                (u["clinician"], CareRole.CLINICIAN),
                (u["family_granted"], CareRole.FAMILY),
                (u["family_ungranted"], CareRole.FAMILY),
            ),
        ),
        (u["o_member"], ((u["o_clinician"], CareRole.CLINICIAN), (u["o_family"], CareRole.FAMILY))),
    ):
        for member, role in members:
            CareTeamMember.objects.create(organization=client.organization, client=client, member=member, role=role)

    # Maya's first mentor (now an ex-mentor), then her current one; Priya's mentor mirrors it.
    def match(client: Any, mentor: Any) -> Any:
        req = matching_services.match_request_create(client=client)
        proposed = matching_services.match_choose(client=client, request=req, mentor_id=mentor.pk)
        return req, matching_services.match_accept(mentor=mentor, match=proposed)

    _, old = match(maya, u["ex_mentor"])
    matching_services.match_end(actor=maya, match=old, reason="moved away", rating=None)
    match_request, active = match(maya, u["mentor"])
    match(u["o_member"], u["o_mentor"])
    for client, grantee in ((maya, u["mentor"]), (maya, u["family_granted"]), (u["o_member"], u["o_family"])):
        consent_grant(client=client, grantee=grantee, scopes=sorted(all_scopes()), purpose="support")
    grant = ConsentGrant.objects.filter(client=maya, grantee=u["mentor"]).get()
    contact = matching_services.contact_record(
        mentor=u["mentor"], match=active, occurred_at=timezone.now() - timedelta(hours=2), mode="call", duration_minutes=20
    )
    assert ContactLog.objects.filter(pk=contact.pk).exists()

    # A weekly group run by her clinician, started two weeks ago: past and future sessions.
    zone = ZoneInfo(org.timezone)
    first = (timezone.now().astimezone(zone) - timedelta(days=14)).date()
    byday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[first.weekday()]
    group = group_services.group_create(
        actor=u["clinician"],
        data={
            "name": "Evening SMART Recovery",
            "kind": "smart",
            "description": "Tools for coping with urges.",
            "capacity": 12,
            "visibility": "organization",
            "attendance_mode": "in_person",
            "address": "412 Main St, Springfield, IL 62701",
            "timezone": org.timezone,
            "rrule": f"FREQ=WEEKLY;BYDAY={byday}",
            "start_local": f"{first.isoformat()}T19:00",
            "duration_minutes": 90,
            "facilitators": [u["clinician"].pk],
        },
    )
    group_services.enrollment_join(actor=maya, group=group, member=maya)
    session = Session.objects.filter(group=group, starts_at__gt=timezone.now()).order_by("starts_at").first()
    assert session is not None
    flag, _ = risk_flag_open(client=maya, kind=FlagKind.HIGH_CRAVING, reason="craving 8 on two of three days")
    notification = Notification.objects.filter(recipient=maya).order_by("pk").first()
    assert notification is not None
    feed = group_services.calendar_feed_get_or_create(user=maya)
    from messaging import services as messaging_services
    from messaging.models import Conversation

    conversation = Conversation.objects.get(match=active)
    sent = messaging_services.message_send(sender=u["mentor"], conversation=conversation, body="Hi, how is the week going?")
    report = messaging_services.message_report(reporter=maya, message=sent.message, reason="Not kind.")
    membership = CareTeamMember.objects.get(client=maya, member=u["family_granted"], ended_at__isnull=True)
    # Her plan (a goal with a step), a resource of the directory, a referral her clinician made, a module.
    from plans import services as plan_services
    from resources import services as resource_services
    from resources.models import Module, Resource

    goal = plan_services.goal_create(actor=maya, client_id=maya.pk, data={"title": "Sleep well", "domain": "physical"})
    step = plan_services.step_create(actor=maya, goal_id=goal.pk, data={"title": "Phone out of the bedroom"})
    resource = Resource.objects.create(organization=org, name="Riverbend Housing Help", category="housing", languages=["en"])
    referral = resource_services.referral_create(actor=u["clinician"], client_id=maya.pk, resource_id=resource.pk)
    module = Module.objects.create(organization=org, week=1, title="Welcome")

    kwargs = {
        "client_id": maya.pk,
        "user_id": maya.pk,
        "member_id": maya.pk,
        "mentor_id": u["mentor"].pk,
        "membership_id": membership.pk,
        "consent_id": grant.pk,
        "request_id": match_request.pk,
        "match_id": active.pk,
        "group_id": group.pk,
        "session_id": session.pk,
        "flag_id": flag.pk,
        "notification_id": notification.pk,
        "conversation_id": conversation.pk,
        "message_id": sent.message.pk,
        "report_id": report.pk,
        "goal_id": goal.pk,
        "step_id": step.pk,
        "resource_id": resource.pk,
        "referral_id": referral.pk,
        "module_id": module.pk,
        "org_slug": org.slug,
        "slug": "phq-9",
        "step": 1,
        "token": feed.token,
        "uidb64": urlsafe_base64_encode(force_bytes(maya.pk)),
        "later": (session.starts_at + timedelta(hours=1)).isoformat(),
    }
    reset_token = default_token_generator.make_token(maya)

    tokens = {name: token_issue(user=user).key for name, user in users.items()}
    sessions = {}
    for name, user in users.items():
        browser = Client()
        browser.force_login(user)
        sessions[name] = browser.cookies[settings.SESSION_COOKIE_NAME].value
    return {"users": users, "kwargs": kwargs, "reset_token": reset_token, "tokens": tokens, "sessions": sessions}


# --- asking ------------------------------------------------------------------------------------

ROUTE_KWARGS: dict[str, dict[str, str]] = {
    "password_reset_confirm": {"token": "reset_token"},  # the reset link's token, not the calendar's
}
# Path parameters that name one of the first organization's objects (the rest: a slug, a step, a
# secret token).
OBJECT_PARAMS = {
    "client_id",
    "user_id",
    "member_id",
    "mentor_id",
    "membership_id",
    "consent_id",
    "request_id",
    "match_id",
    "group_id",
    "session_id",
    "flag_id",
    "notification_id",
    "conversation_id",
    "message_id",
    "report_id",
    "goal_id",
    "step_id",
    "resource_id",
    "referral_id",
    "module_id",
}
# Lists read about Maya when asked about her (GET).
QUERIES: dict[str, str] = {
    "api-checkins": "?client={client_id}",
    "api-assessments": "?client={client_id}",
    "api-risk-flags": "?client={client_id}",
    "api-audit": "?client={client_id}",
    "api-test-results": "?client={client_id}",
    "api-dashboard-caseload": "?client={client_id}",
    "api-referrals": "?client={client_id}",
}
# Writes send {} (an API) or an empty form (a page). Where that would stop at validation before
# the service says who may write, or would only act on the caller, the row sends a body that
# names her object, so the answer is the rule's.
BODIES: dict[str, dict[str, str]] = {
    "api-risk-flag-resolve": {"note": "Called her; she is safe."},
    "api-match-contacts": {"occurred_at": "2026-01-05T10:00:00Z", "mode": "call", "duration_minutes": "15"},
    "api-match-end": {"reason": "The member asked."},
    "api-test-results": {"client": "{member_id}", "taken_at": "2026-01-05T10:00:00Z", "kind": "breath", "result": "negative"},
    "api-session-move": {"starts_at": "{later}"},
    "api-group-enroll": {"member": "{member_id}"},
    "api-group-leave": {"member": "{member_id}"},
    "staff-users": {"action": "deactivate", "user": "{member_id}"},
    "api-conversations": {"with": "{member_id}"},
    "moderation-queue": {"report": "{report_id}"},
    "staff-mentors": {"mentor": "{mentor_id}", "status": "suspended", "reason": "matrix"},
    "api-referrals": {"client": "{client_id}", "resource": "{resource_id}"},
    "api-referral-follow-ups": {"outcome": "connected"},
    "referral-create": {"resource": "{resource_id}"},
    "referral-follow-up": {"outcome": "connected"},
}
INTEGER_FIELDS = {"duration_minutes", "member", "with", "client", "resource"}


def body_for(route: Route, world: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {key: value.format(**world["kwargs"]) for key, value in BODIES.get(route.name, {}).items()}
    if route.is_api:
        body.update({key: int(value) for key, value in body.items() if key in INTEGER_FIELDS})
    return body


def url_for(route: Route, method: str, world: dict[str, Any]) -> str:
    kwargs = {**world["kwargs"], **{key: world[source] for key, source in ROUTE_KWARGS.get(route.name, {}).items()}}
    path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m.group(1)]), route.pattern)
    return path + (QUERIES.get(route.name, "").format(**kwargs) if method == "GET" else "")


def answer_class(route: Route, response: Any) -> str:
    code = response.status_code
    if code in (401, 403, 404, 405):
        return str(code)
    if 300 <= code < 400 and not route.is_api:
        return "login" if response["Location"].split("?")[0] == resolve_url(settings.LOGIN_URL) else "ok"
    if 200 <= code < 300 or code in (400, 409):
        return "ok"
    return str(code)  # anything else (a 429, a 500) is never expected


@dataclass
class Answer:
    cls: str
    names_her: bool


def ask(route: Route, method: str, persona: str, world: dict[str, Any]) -> Answer:
    url, body = url_for(route, method, world), body_for(route, world)
    cache.clear()  # throttles and lock-outs count each persona afresh
    with transaction.atomic():
        if route.is_api:
            client: Any = APIClient()
            if persona != "anonymous":
                client.credentials(HTTP_AUTHORIZATION=f"Token {world['tokens'][persona]}")
            send = getattr(client, method.lower())
            response = send(url) if method == "GET" else send(url, body, format="json")
        else:
            client = Client(enforce_csrf_checks=False)
            if persona != "anonymous":
                client.cookies[settings.SESSION_COOKIE_NAME] = world["sessions"][persona]
            send = getattr(client, method.lower())
            response = send(url) if method == "GET" else send(url, body)
        transaction.set_rollback(True)  # every persona starts from the same state
    got = answer_class(route, response)
    content = getattr(response, "content", b"") if not getattr(response, "streaming", False) else b""
    return Answer(cls=got, names_her=got == "ok" and HER_NAME.encode() in content)


def verb(method: str) -> str:
    return "read" if method == "GET" else "write"


def expected_for(name: str, method: str) -> dict[str, str] | None:
    row = ROUTES.get(name, {})
    return row.get(method) or row.get(verb(method))


# --- the tests ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), CASES, ids=[f"{n}-{m}" for n, m in CASES])
def test_matrix(name: str, method: str, world: dict[str, Any]) -> None:
    route = ALL_ROUTES[name]
    expected = expected_for(name, method)
    assert expected is not None, f"{name} {method} ({route.pattern}) has no row in ROUTES"
    problems = []
    for persona in PERSONAS:
        got = ask(route, method, persona, world)
        if got.cls != expected[persona]:
            leak = " LEAK" if got.cls == "ok" and expected[persona] in ("403", "404") else ""
            problems.append(f"  {name} {method} /{route.pattern} {persona}: expected {expected[persona]}, got {got.cls}{leak}")
        if got.names_her and persona in OUTSIDERS and (name, persona) not in NAMES_HER_ALLOWED:
            problems.append(f"  {name} {method} /{route.pattern} {persona}: the answer names her (an outsider) LEAK")
    assert not problems, "answers that differ from the matrix:\n" + "\n".join(problems)


def test_every_route_has_a_row_and_every_row_a_route() -> None:
    missing = [f"{n} {m} (/{ALL_ROUTES[n].pattern})" for n, m in CASES if expected_for(n, m) is None]
    stale = sorted(set(ROUTES) - set(ALL_ROUTES))
    stale_verbs = [
        f"{n} {key}"
        for n, row in ROUTES.items()
        if n in ALL_ROUTES
        for key in row
        if not (
            key in ALL_ROUTES[n].methods
            or (key == "read" and "GET" in ALL_ROUTES[n].methods)
            or (key == "write" and set(WRITE_METHODS) & set(ALL_ROUTES[n].methods))
        )
    ]
    assert not UNNAMED, f"routes without a name (name them, then add a row): {UNNAMED}"
    assert not missing, "routes without a row in the authorization matrix (add one to ROUTES):\n  " + "\n  ".join(missing)
    assert not stale, f"rows for routes that no longer exist (remove them from ROUTES): {stale}"
    assert not stale_verbs, f"rows for verbs the route does not serve: {stale_verbs}"
    for name in (*QUERIES, *BODIES, *ROUTE_KWARGS):
        assert name in ALL_ROUTES, f"{name} is not a route any more"


def test_the_second_organization_never_reaches_her_objects() -> None:
    """A row whose request names one of the first organization's objects (in the path, or as
    ?client=) answers every persona of the second organization 403, 404 or 405, never ok."""
    wrong = []
    for name, method in CASES:
        params = set(re.findall(r"<(?:\w+:)?(\w+)>", ALL_ROUTES[name].pattern))
        if not (params & OBJECT_PARAMS or (method == "GET" and name in QUERIES)):
            continue
        expected = expected_for(name, method) or {}
        wrong += [f"{name} {method} {p}: {expected.get(p)}" for p in SECOND_ORG if expected.get(p) not in ("403", "404", "405")]
    assert not wrong, "the matrix lets the second organization reach the first's objects:\n  " + "\n  ".join(wrong)


def test_the_size_in_the_docstring_is_current() -> None:
    apis = sum(1 for r in ALL_ROUTES.values() if r.is_api)
    size = f"{len(ALL_ROUTES)} routes ({apis} API, {len(ALL_ROUTES) - apis} pages), {len(CASES)} route-methods"
    cells = f"{len(CASES)} x {len(PERSONAS)} personas = {len(CASES) * len(PERSONAS)} answers"
    assert size in (__doc__ or "") and cells in (__doc__ or ""), f"update the docstring: {size}; {cells}"
