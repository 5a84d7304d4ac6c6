"""The customer's shop profile: recommendations read from the stored table."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def for_you(request: HttpRequest) -> HttpResponse:
    return render(request, "recommend/for_you.html")
