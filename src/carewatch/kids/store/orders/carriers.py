"""Tracking links for the couriers we hand parcels to; others get the number only."""

from __future__ import annotations

from urllib.parse import quote

TRACKING_URLS = {
    "BlueDart": "https://www.bluedart.com/web/guest/trackdartresult?trackFor=0&trackNo={}",
    "Delhivery": "https://www.delhivery.com/track-v2/package/{}",
    "DTDC": "https://www.dtdc.in/trace.asp?strCnno={}",
    "India Post": "https://www.indiapost.gov.in/_layouts/15/dop.portal.tracking/trackconsignment.aspx?id={}",
}


def tracking_url(carrier: str, number: str) -> str:
    template = TRACKING_URLS.get(carrier.strip())
    return template.format(quote(number.strip())) if template and number.strip() else ""
