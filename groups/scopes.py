"""The consent scope and record kind groups registers with members.access (apps.py), so the
base apps name no part of groups."""

# The scope a member grants (and the record kind it opens): her group attendance (rates, history).
ATTENDANCE = "attendance"
# Access-log resource: her name on a group's roster or sheet, without her attendance.
ROSTER_RESOURCE = "group_roster"
