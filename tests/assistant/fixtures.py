"""A few small help articles for the ranking tests (the real help is tested too: see
test_assistant_on_the_real_help.py)."""

from __future__ import annotations

from carewatch.platform.assistant.engine import Assistant
from carewatch.platform.assistant.passages import Passage, parse

ARTICLES = {
    ("en", "kids", "live-map"): """---
title: The live map
summary: A test article.
pages: [kids/tracker/family/*/map]
keywords: [map, marker, location, naksha, varaipadam]
---
## What the markers mean
Each child is a marker on the map. A grey marker means the last position is old.

## Playing a day back {#history}
The history page plays a day back with a slider.
""",
    ("en", "kids", "safe-places"): """---
title: Safe places
summary: A test article.
pages: [kids/tracker/family/*/places]
keywords: [geofence, school, home, arrived, left]
---
## Drawing a safe place
Draw a circle around home or school. You are told when your child arrives or leaves.
""",
    ("en", "kids", "battery-offline"): """---
title: Battery and offline
summary: A test article.
pages: []
keywords: [battery, charge, offline]
---
## Battery alerts
A battery alert comes once per discharge when the watch battery is low.
""",
    ("ta", "kids", "live-map"): """---
title: நேரடி வரைபடம்
summary: A test article.
pages: [kids/tracker/family/*/map]
keywords: [map, varaipadam]
---
## குறிகள் என்ன சொல்கின்றன {#markers}
ஒவ்வொரு குழந்தையும் வரைபடத்தில் ஒரு குறியாகத் தெரியும். சாம்பல் நிறக் குறி என்றால் இடம் பழையது.
""",
    ("ta", "kids", "safe-places"): """---
title: பாதுகாப்பான இடங்கள்
summary: A test article.
pages: []
keywords: [school, geofence]
---
## பாதுகாப்பான இடத்தை வரைதல் {#drawing}
வீடு அல்லது பள்ளியைச் சுற்றி ஒரு வட்டம் வரையுங்கள். குழந்தை வந்தாலோ போனாலோ உங்களுக்குச் சொல்லப்படும்.
""",
    ("ta", "kids", "battery-offline"): """---
title: பேட்டரி
summary: A test article.
pages: []
keywords: [battery, charge]
---
## பேட்டரி எச்சரிக்கைகள் {#battery}
கடிகாரத்தின் பேட்டரி குறைவாக இருக்கும்போது ஒரு எச்சரிக்கை வரும்.
""",
    ("hi", "kids", "live-map"): """---
title: लाइव मैप
summary: A test article.
pages: [kids/tracker/family/*/map]
keywords: [map, naksha, नक़्शा]
---
## निशानों का मतलब {#markers}
हर बच्चा नक़्शे पर एक निशान है। धूसर निशान का मतलब है कि जगह पुरानी है।
""",
}


def passages() -> list[Passage]:
    out: list[Passage] = []
    for (lang, service, slug), text in ARTICLES.items():
        out.extend(parse(lang, service, slug, text))
    return out


def assistant() -> Assistant:
    return Assistant(passages())
