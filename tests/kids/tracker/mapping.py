"""Helpers for the map tests: read a page's embedded json_script data."""

from __future__ import annotations

import json
import re
from typing import Any

from django.http import HttpResponse


def embedded(response: HttpResponse, element_id: str) -> Any:
    """The JSON a page embeds with `json_script` under `element_id`."""
    pattern = rf'<script id="{element_id}" type="application/json">(.*?)</script>'
    found = re.search(pattern, response.content.decode(), re.S)
    assert found, f"no json_script #{element_id} in the page"
    return json.loads(found.group(1))
