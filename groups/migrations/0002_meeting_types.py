"""The Meeting Guide (code4recovery) meeting type codes a program can tag its groups with."""

from django.db import migrations

TYPES = [
    ("11", "11th Step Meditation"), ("12x12", "12 Steps & 12 Traditions"), ("A", "Secular"),
    ("AL-AN", "Concurrent with Al-Anon"), ("ASL", "American Sign Language"), ("B", "Big Book"),
    ("BA", "Babysitting Available"), ("BE", "Newcomer"), ("BI", "Bisexual"), ("C", "Closed"),
    ("CF", "Child-Friendly"), ("D", "Discussion"), ("DD", "Dual Diagnosis"), ("DR", "Daily Reflections"),
    ("EN", "English"), ("FF", "Fragrance Free"), ("FR", "French"), ("G", "Gay"), ("L", "Lesbian"),
    ("LGBTQ", "LGBTQ"), ("LIT", "Literature"), ("M", "Men"), ("MED", "Meditation"), ("N", "Native American"),
    ("NB", "Non-Binary"), ("NDG", "Indigenous"), ("O", "Open"), ("OUT", "Outdoor"), ("P", "Professionals"),
    ("POC", "People of Color"), ("S", "Spanish"), ("SEN", "Seniors"), ("SP", "Speaker"), ("ST", "Step Study"),
    ("T", "Transgender"), ("TC", "Location Temporarily Closed"), ("TR", "Tradition Study"), ("W", "Women"),
    ("X", "Wheelchair Access"), ("XB", "Wheelchair-Accessible Bathroom"), ("XT", "Cross Talk Permitted"),
    ("Y", "Young People"),
]  # fmt: skip


def add_types(apps, schema_editor):
    MeetingType = apps.get_model("groups", "MeetingType")
    for code, name in TYPES:
        MeetingType.objects.update_or_create(code=code, defaults={"name": name})


def remove_types(apps, schema_editor):
    apps.get_model("groups", "MeetingType").objects.filter(code__in=[c for c, _ in TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("groups", "0001_initial")]

    operations = [migrations.RunPython(add_types, remove_types)]
