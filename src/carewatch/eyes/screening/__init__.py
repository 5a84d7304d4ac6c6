"""Screening at a centre: patients and consent, visits, encrypted photos, grading, audit."""
