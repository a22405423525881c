"""seed_demo gains months of check-ins, questionnaires and some open flags; a second run adds nothing."""

import pytest
from django.core.management import call_command

from checkins.models import Assessment, CheckIn, RiskFlag, Used
from members.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_believable_checkins_once():
    call_command("seed_demo")
    maya = User.objects.get(email="maya@demo.kinship.test")
    assert CheckIn.objects.filter(client=maya).count() > 30
    assert CheckIn.objects.filter(client=maya, used=Used.YES, amount__isnull=False).exists()  # moderation amounts
    assert CheckIn.objects.filter(used=Used.YES, client__client_profile__goal="abstinence").exists()  # lapses, still checking in
    assert CheckIn.objects.filter(used=Used.SKIP).exists()
    assert Assessment.objects.filter(client=maya).exists()
    assert RiskFlag.objects.filter(resolved_at__isnull=True, kind="crisis").count() == 1
    assert RiskFlag.objects.filter(resolved_at__isnull=False).exclude(resolution_note="").exists()
    counts = (CheckIn.objects.count(), Assessment.objects.count(), RiskFlag.objects.count())
    call_command("seed_demo")
    assert (CheckIn.objects.count(), Assessment.objects.count(), RiskFlag.objects.count()) == counts
