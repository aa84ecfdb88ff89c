"""Every coordinator tool opens with one heading and a breadcrumb, and is a 404 for
anyone else (the checks live in ``conftest.py`` with the list of tools, where pytest
does not collect them: importing them here runs them)."""

import pytest

from tests.parcours.manage.conftest import (
    test_every_tool_is_a_404_for_others,
    test_every_tool_opens_for_the_coordinator_with_one_h1_and_a_breadcrumb,
)

pytestmark = pytest.mark.django_db

__all__ = [
    "test_every_tool_is_a_404_for_others",
    "test_every_tool_opens_for_the_coordinator_with_one_h1_and_a_breadcrumb",
]
