import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _back_to_the_default_language():  # type: ignore[no-untyped-def]
    """A request in Spanish leaves Spanish active on the thread: later tests start in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
