"""SQL queries and status of pages, in-process with Django's test client (DEBUG stays off).

    DJANGO_SETTINGS_MODULE=... python count_queries.py /path/one/ /path/two/
Each path is fetched twice by two anonymous visitors: "queries" counts the second
(warm: caches filled), "queries_first_visit" the first. Prints one JSON object
{path: {...}}. Works for either shop.
"""

import json
import sys

import django

django.setup()

from django.db import connection  # noqa: E402 - after django.setup()
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

figures = {}
for path in sys.argv[1:]:
    with CaptureQueriesContext(connection) as first:
        Client(HTTP_HOST="127.0.0.1").get(path)
    with CaptureQueriesContext(connection) as queries:
        response = Client(HTTP_HOST="127.0.0.1").get(path)
    figures[path] = {
        "status": response.status_code,
        "queries": len(queries),
        "queries_first_visit": len(first),
    }
print(json.dumps(figures))
