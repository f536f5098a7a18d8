"""``manage.py import_guide``: a guide file becomes one topic, however often it is run."""

from io import StringIO

import pytest
from django.core.management import call_command

from forum.models import Topic
from guides.models import Guide
from guides.sources import SOURCE_GUIDE_PATH

GUIDE = """---
title: Bracing for the Squat
forum: Guides
author: admin
summary: Breathe, brace, descend.
---
Take a big breath **before** you unrack.
"""


def import_guide(path) -> str:
    out = StringIO()
    call_command("import_guide", str(path), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_importing_the_same_file_twice_makes_one_topic(tmp_path):
    path = tmp_path / "bracing.md"
    path.write_text(GUIDE)
    assert "Imported “Bracing for the Squat”" in import_guide(path)
    assert "nothing changed" in import_guide(path)
    assert Topic.objects.filter(title="Bracing for the Squat").count() == 1
    assert Guide.objects.count() == 2  # the seeded guide and this one


@pytest.mark.django_db
def test_importing_the_seeded_guide_again_changes_nothing(guide_topic):
    assert "Already imported as “Do Hip Thrusts Work the Lower Back?” (post #6700)" in (
        import_guide(SOURCE_GUIDE_PATH)
    )
    assert Topic.objects.count() == 1
