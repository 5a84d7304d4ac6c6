"""Set-up and safety guidelines per tracker model, in English, Hindi and Tamil.

Plain Python: each step says which models it is for (a test on the spec), so every
model's page lists only what applies to it. The texts are content, kept here rather
than in the UI catalogues; a language without a text falls back to English.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from carewatch.kids.store.catalogue.scoring import Spec, waterproof

LANGUAGES = ("en", "hi", "ta")


@dataclass(frozen=True)
class Step:
    applies: Callable[[Spec], bool]
    text: dict[str, str]


def _always(spec: Spec) -> bool:
    return True


STEPS = [
    Step(
        _always,
        {
            "en": "Charge the tracker fully before the first use (about two hours).",
            "hi": "पहली बार इस्तेमाल से पहले ट्रैकर को पूरा चार्ज करें (लगभग दो घंटे)।",
            "ta": "முதல் முறை பயன்படுத்தும் முன் டிராக்கரை முழுமையாக சார்ஜ் செய்யுங்கள் (சுமார் இரண்டு மணி நேரம்).",
        },
    ),
    Step(
        lambda s: s.lte,
        {
            "en": "With the tracker switched off, insert a nano SIM card that has mobile data.",
            "hi": "ट्रैकर बंद करके मोबाइल डेटा वाला नैनो सिम कार्ड लगाएँ।",
            "ta": "டிராக்கரை அணைத்த நிலையில், மொபைல் டேட்டா உள்ள நானோ சிம் கார்டைப் பொருத்துங்கள்.",
        },
    ),
    Step(
        _always,
        {
            "en": "Switch it on, then pair it in CareWatch with the device number and the pairing "
            "code from your order.",
            "hi": "इसे चालू करें, फिर अपने ऑर्डर के डिवाइस नंबर और पेयरिंग कोड से इसे CareWatch में जोड़ें।",
            "ta": "அதை இயக்கி, உங்கள் ஆர்டரில் உள்ள சாதன எண் மற்றும் இணைப்புக் குறியீட்டைக் கொண்டு "
            "CareWatch-இல் இணைக்கவும்.",
        },
    ),
    Step(
        lambda s: s.calling,
        {
            "en": "Add the family numbers that may call the watch; other callers are blocked.",
            "hi": "परिवार के वे नंबर जोड़ें जो घड़ी पर कॉल कर सकते हैं; बाकी कॉल रोक दी जाती हैं।",
            "ta": "கடிகாரத்தை அழைக்கக்கூடிய குடும்ப எண்களைச் சேர்க்கவும்; மற்ற அழைப்புகள் தடுக்கப்படும்.",
        },
    ),
    Step(
        lambda s: s.sos_button,
        {
            "en": "Show your child how to hold the SOS button for three seconds in an emergency.",
            "hi": "अपने बच्चे को सिखाएँ कि मुसीबत में SOS बटन को तीन सेकंड तक दबाकर रखें।",
            "ta": "அவசர நேரத்தில் SOS பொத்தானை மூன்று வினாடிகள் அழுத்திப் பிடிக்க உங்கள் குழந்தைக்குக் "
            "கற்றுக்கொடுங்கள்.",
        },
    ),
    Step(
        lambda s: s.school_mode,
        {
            "en": "Turn on school mode for class hours so the watch stays quiet in class.",
            "hi": "कक्षा के समय के लिए स्कूल मोड चालू करें ताकि घड़ी कक्षा में शांत रहे।",
            "ta": "வகுப்பில் கடிகாரம் அமைதியாக இருக்க, வகுப்பு நேரத்திற்குப் பள்ளி பயன்முறையை இயக்குங்கள்.",
        },
    ),
    Step(
        lambda s: waterproof(s.water_rating),
        {
            "en": "After swimming, rinse the watch in fresh water and dry the charging contacts "
            "before charging.",
            "hi": "तैराकी के बाद घड़ी को साफ़ पानी से धोएँ और चार्ज करने से पहले चार्जिंग पॉइंट सुखा लें।",
            "ta": "நீச்சலுக்குப் பிறகு கடிகாரத்தை நல்ல நீரில் கழுவி, சார்ஜ் செய்வதற்கு முன் சார்ஜிங் "
            "முனைகளை உலர்த்துங்கள்.",
        },
    ),
    Step(
        lambda s: bool(s.water_rating) and not waterproof(s.water_rating),
        {
            "en": "It survives rain and splashes, but take it off before a bath or swimming.",
            "hi": "यह बारिश और छींटे सह लेती है, पर नहाने या तैरने से पहले इसे उतार दें।",
            "ta": "மழையையும் தெறிப்பையும் தாங்கும்; ஆனால் குளிக்கும் முன் அல்லது நீந்தும் முன் கழற்றுங்கள்.",
        },
    ),
    Step(
        _always,
        {
            "en": "Charge it every night; CareWatch tells you when the battery runs low.",
            "hi": "इसे हर रात चार्ज करें; बैटरी कम होने पर CareWatch आपको बताएगा।",
            "ta": "ஒவ்வொரு இரவும் சார்ஜ் செய்யுங்கள்; பேட்டரி குறையும்போது CareWatch உங்களுக்குத் தெரிவிக்கும்.",
        },
    ),
]


def guidelines(spec: Spec, language: str) -> list[str]:
    language = language.split("-")[0] if language else "en"
    return [step.text.get(language, step.text["en"]) for step in STEPS if step.applies(spec)]
