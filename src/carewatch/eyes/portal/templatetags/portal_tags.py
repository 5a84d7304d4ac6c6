from __future__ import annotations

from typing import Any

from django import template

from carewatch.eyes.portal.models import Testimonial

register = template.Library()


@register.inclusion_tag("portal/_testimonials.html")
def published_testimonials(limit: int = 3) -> dict[str, Any]:
    """For the Eyes about page: approved, consented and not withdrawn; first names only."""
    return {"testimonials": Testimonial.objects.published().order_by("-approved_at")[:limit]}
