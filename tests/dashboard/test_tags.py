from datetime import UTC, datetime, timedelta

from dashboard.templatetags.dashboard_tags import ago, days_ago, percent

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def test_ago_reads_like_a_person_would_say_it():
    assert ago(NOW - timedelta(seconds=20), NOW) == "just now"
    assert ago(NOW - timedelta(minutes=1), NOW) == "1 minute ago"
    assert ago(NOW - timedelta(hours=5), NOW) == "5 hours ago"
    assert ago(NOW - timedelta(hours=30), NOW) == "yesterday"
    assert ago(NOW - timedelta(days=2, hours=1), NOW) == "2 days ago"
    assert ago(NOW - timedelta(days=90), NOW) == "Aug 22, 2026"
    assert ago(None) == ""


def test_days_ago_and_percent():
    assert [days_ago(n) for n in (0, 1, 2, None)] == ["today", "yesterday", "2 days ago", ""]
    assert percent(0.667) == "67%" and percent(None) == "—" and percent(1.0) == "100%"
