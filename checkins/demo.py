"""The checkins part of `seed_demo` (settings.DEMO_SEEDERS). Runs after members and notifications."""


def seed() -> dict[str, int]:
    return {}
