"""The fixed answers, in each language (pure: no Django, so the command line has them).

These are written here rather than in the .po files because they are safety texts the
tests pin down word for word and the command line prints without Django.
"""

from __future__ import annotations

from dataclasses import dataclass

LIVE_MAP = "/kids/tracker/"
SOS_SETTINGS = "/help/kids/sos/"
CONTACT = "/help/account/contact/"
PERSON = "/assistant/person/"  # the hand-over form
MEDICAL_SECTION = "/help/eyes/grades/"
REPORTS = "/eyes/my/reports/"
EMERGENCY_NUMBER = "112"


@dataclass(frozen=True)
class Link:
    label: str
    url: str


EMERGENCY = {
    "en": "If your child may be in danger, call 112 now. Open the live map to see where the "
    "watch is, and check who receives SOS alerts in the SOS settings.",
    "hi": "अगर आपका बच्चा ख़तरे में हो सकता है, तो अभी 112 पर कॉल करें। घड़ी कहाँ है यह देखने के "
    "लिए लाइव मैप खोलें, और SOS सेटिंग में देखें कि SOS अलर्ट किसे मिलते हैं।",
    "ta": "உங்கள் குழந்தை ஆபத்தில் இருக்கலாம் என்றால், இப்போதே 112 ஐ அழையுங்கள். கடிகாரம் எங்கே "
    "உள்ளது என்று பார்க்க நேரடி வரைபடத்தைத் திறக்கவும்; SOS அமைப்புகளில் SOS எச்சரிக்கை யாருக்குச் "
    "செல்கிறது என்று பாருங்கள்.",
}
EMERGENCY_LINKS = {
    "en": [
        Link("Call 112", "tel:112"),
        Link("Live map", LIVE_MAP),
        Link("SOS settings", SOS_SETTINGS),
    ],
    "hi": [
        Link("112 पर कॉल करें", "tel:112"),
        Link("लाइव मैप", LIVE_MAP),
        Link("SOS सेटिंग", SOS_SETTINGS),
    ],
    "ta": [
        Link("112 ஐ அழையுங்கள்", "tel:112"),
        Link("நேரடி வரைபடம்", LIVE_MAP),
        Link("SOS அமைப்புகள்", SOS_SETTINGS),
    ],
}

MEDICAL = {
    "en": "I can't give medical advice, a diagnosis or a treatment. Please ask your doctor: "
    "they know your eyes and your health. Your signed report, with the doctor's result, "
    "is in your private patient page.",
    "hi": "मैं चिकित्सा सलाह, निदान या इलाज नहीं बता सकता। कृपया अपने डॉक्टर से पूछें: वे आपकी "
    "आँखों और सेहत को जानते हैं। डॉक्टर के हस्ताक्षर वाली आपकी रिपोर्ट आपके निजी मरीज़ पेज पर है।",
    "ta": "மருத்துவ ஆலோசனை, நோயறிதல் அல்லது சிகிச்சையை என்னால் சொல்ல முடியாது. உங்கள் மருத்துவரிடம் "
    "கேளுங்கள்: அவருக்கு உங்கள் கண்களும் உடல்நிலையும் தெரியும். மருத்துவர் கையெழுத்திட்ட உங்கள் "
    "அறிக்கை உங்கள் தனிப்பட்ட நோயாளர் பக்கத்தில் உள்ளது.",
}
MEDICAL_LINKS = {
    "en": [Link("My reports", REPORTS), Link("What the grades mean", MEDICAL_SECTION)],
    "hi": [Link("मेरी रिपोर्ट", REPORTS), Link("ग्रेड का मतलब", MEDICAL_SECTION)],
    "ta": [Link("என் அறிக்கைகள்", REPORTS), Link("தரங்களின் பொருள்", MEDICAL_SECTION)],
}

OUT_OF_SCOPE = {
    "en": "Sorry, I can't help with that. I answer questions about CareWatch: the kids' "
    "watch, the shop and eye screening. You can also talk to a person.",
    "hi": "माफ़ कीजिए, मैं इसमें मदद नहीं कर सकता। मैं CareWatch के बारे में सवालों के जवाब देता "
    "हूँ: बच्चों की घड़ी, दुकान और आँखों की जाँच। आप किसी व्यक्ति से भी बात कर सकते हैं।",
    "ta": "மன்னிக்கவும், இதில் என்னால் உதவ முடியாது. CareWatch பற்றிய கேள்விகளுக்கு நான் பதில் "
    "சொல்கிறேன்: குழந்தைகளின் கடிகாரம், கடை மற்றும் கண் பரிசோதனை. நீங்கள் ஒருவரிடம் பேசவும் "
    "முடியும்.",
}

HANDOVER = {
    "en": "I'm not sure I can answer that well. A person from our team can: send this "
    "conversation to them and they will reply here and by e-mail or SMS.",
    "hi": "मुझे पक्का नहीं कि मैं इसका सही जवाब दे पाऊँगा। हमारी टीम का कोई व्यक्ति दे सकता है: "
    "यह बातचीत उन्हें भेजें, वे यहाँ और ई-मेल या SMS से जवाब देंगे।",
    "ta": "இதற்கு என்னால் சரியாகப் பதில் சொல்ல முடியுமா என்று தெரியவில்லை. எங்கள் குழுவைச் சேர்ந்த "
    "ஒருவர் சொல்வார்: இந்த உரையாடலை அவர்களுக்கு அனுப்புங்கள்; அவர்கள் இங்கேயும் மின்னஞ்சல் அல்லது "
    "SMS மூலமும் பதில் அளிப்பார்கள்.",
}
PERSON_LINKS = {
    "en": [Link("Talk to a person", PERSON)],
    "hi": [Link("किसी व्यक्ति से बात करें", PERSON)],
    "ta": [Link("ஒருவரிடம் பேசுங்கள்", PERSON)],
}
