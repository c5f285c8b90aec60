import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Uploaded evidence goes to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
