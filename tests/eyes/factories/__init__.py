"""Eyes test data, one module per concept (as django-oscar's test factories), used by every
test that needs that object: photos.py (stored, graded photos), reports.py (signed reports).
Patients and visits are tests/eyes/helpers.py's make_patient and make_visit."""
