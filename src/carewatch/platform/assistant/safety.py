"""What must not be left to retrieval: emergencies, medical advice, asking for a person
(pure: no Django).

The patterns of every language are tried on every question: a Hindi user may write in
English, and Hinglish and Tanglish are written in Latin letters. Patterns match the
folded text (lowercase; Hindi nukta and chandrabindu folded, see `text.fold`).
An emergency outranks everything; a question *about* SOS ("how do I set the SOS
numbers?") is not an emergency, a child pressing it or being missing is.
"""

from __future__ import annotations

import re

from carewatch.platform.assistant.text import fold_indic, words

_CHILD_EN = r"(child|children|kid|kids|son|daughter|boy|girl|baby|he|she)"
_CHILD_HI = r"(बच्चा|बच्ची|बच्चे|बेटा|बेटी|लड़का|लड़की|bachcha|bacha|bachha|baccha|beta|beti|ladka|ladki)"
_CHILD_TA = (
    r"(குழந்தை|பையன்|பொண்ணு|பெண்|மகன்|மகள்|kuzhandhai|kulandhai|kozhandha|paiyan|ponnu|magan|magal)"
)
# Always an emergency.
_STRONG_EMERGENCY = [
    r"\b(kidnap\w*|abduct\w*|taken away|ran away|run away|runaway)\b",
    rf"\b{_CHILD_EN}\b.{{0,30}}\bmissing\b|\bmissing\b.{{0,20}}\b{_CHILD_EN}\b",
    rf"\b(lost|can't find|cannot find|can not find|not finding|no sign of)\b"
    rf".{{0,25}}\b{_CHILD_EN}\b",
    rf"\b{_CHILD_EN}\b.{{0,30}}\b(is lost|got lost|not (come|came) home|hasn't come|"
    r"has not come|didn't come|not back)\b",
    rf"{_CHILD_HI}.{{0,30}}(गायब|लापता|खो गया|खो गयी|खो गई|नहीं मिल|"
    r"gayab|gaayab|lapata|laapata|kho gay|nahi mil|nahin mil)",
    r"(अपहरण|किडनैप|\bapharan\b|\bkidnap)",
    rf"{_CHILD_TA}.{{0,30}}(காணவில்லை|காணோம்|காணல|காணாமல் போ|தொலைந்து|தொலைஞ்சு|"
    r"kaanom|kanom|kaanavillai|kanavillai|kaanala|kanala|kanamal|tholanju|tholaindhu)",
    r"(காணவில்லை|காணோம்|காணாமல் போய்)\W*$|(கடத்த|kadathitanga|kadathal)",
    r"(गायब है|लापता है|नहीं मिल रहा|नहीं मिल रही)\W*$|\b(gayab hai|lapata hai)\W*$",
]
# An emergency unless the question asks how something works ("how do I test SOS?").
_WEAK_EMERGENCY = [
    r"\b(emergency|help!|urgent help)\b|^\W*help\W*$",
    r"\b(pressed|pressing|pushed|sent|triggered|got an?|received an?)\b.{0,20}\bsos\b",
    r"^\W*sos\W*$|\bsos\W*(now|please|help|alert came|came)\b|\bsos+!",
    r"(आपातकाल|इमरजेंसी|बचाओ|मदद करो|तुरंत मदद|\bbachao\b)",
    r"(sos|एसओएस)\s*(दबाया|दबा दिया|आया|बटन दबा)|(दबाया|दबा दिया).{0,20}(sos|एसओएस)",
    r"\bsos\b.{0,20}\b(dabaya|daba diya|aaya|aya)\b",
    r"(அவசரம்|அவசர உதவி|உதவுங்கள்|காப்பாத்து|காப்பாற்று|\bavasaram\b|\bkaapathunga\b)",
    r"(sos|எஸ்ஓஎஸ்)\s*(அழுத்தின|அழுத்தி|வந்த)|அழுத்தின.{0,20}(sos|எஸ்ஓஎஸ்)",
    r"\bsos\b.{0,20}\b(amukkitan|azhuthinan|azhuthina|vandhuchu|vanthuchu)\b",
]

_EN_MEDICAL = [
    r"\b(medicine|medication|tablet|pill|drug|dose|dosage|insulin|metformin|treat|treatment|"
    r"cure|cured|surgery|operation|injection|laser|diet|remedy|eye ?drops? for)\b",
    r"\b(am i|will i|could i|do i|is my|are my)\b.{0,30}\b(blind|diabet\w*|retinopathy|"
    r"serious|dangerous|normal|healthy|sick|going blind|lose my (sight|vision)|get better)\b",
    r"\b(diagnos\w*|prescri\w*|should i (take|stop|start|worry)|"
    r"what should i do about my (eye|eyes|sight|vision|sugar))\b",
    r"\b(blurr?(y|ed)|pain|itch\w*|red eyes?|floaters|dark spots?)\b"
    r".{0,40}\b(what|is it|should|why)\b",
]
_HI_MEDICAL = [
    r"(दवा|दवाई|दवाइयाँ|दवाइयां|इलाज|उपचार|ऑपरेशन|आपरेशन|इंजेक्शन|लेजर|इंसुलिन|खुराक|डोज)",
    r"(अंधा|अंधी|अंधापन|रोशनी चली|रोशनी जाएगी|ठीक हो जाएगा|ठीक हो जाएगी|गंभीर है)",
    r"\b(dawa|dawai|davai|dava|ilaj|ilaaj|upchar|operation|injection|laser|insulin|"
    r"andha|andhi|andhapan|theek ho jayega|thik ho jayega|gambhir)\b",
]
_TA_MEDICAL = [
    r"(மருந்து|மாத்திரை|சிகிச்சை|வைத்தியம்|ஆபரேஷன்|அறுவை|ஊசி|லேசர்|இன்சுலின்|டோஸ்)",
    r"(குருடு|பார்வை போ|பார்வை இழ|கண் தெரியாம|குணமா|சரியாகுமா|சரியாயிடுமா|ஆபத்தா|சீரியஸா)",
    r"\b(marundhu|marunthu|maruthu|mathirai|sigichai|sikichai|vaithiyam|operation|oosi|"
    r"laser|insulin|kurudu|paarvai pogum|parvai pogum|saraagumaa|sariyagumaa|serious)\b",
]

_EN_PERSON = [
    r"\b(talk|speak|chat)\b.{0,20}\b(person|human|someone|somebody|agent|staff|people|"
    r"representative|support|team|doctor|executive)\b",
    r"\b(real|live) (person|human|agent)\b|\bhuman\b|\bcustomer (care|service|support)\b",
    r"\b(call me|contact me|phone me|ring me|call back)\b",
]
_HI_PERSON = [
    r"(किसी इंसान|किसी व्यक्ति|किसी से बात|इंसान से|व्यक्ति से बात|कस्टमर केयर|एजेंट से|स्टाफ से बात|मुझे कॉल)",
    r"\b(insaan se|insan se|kisi se baat|kisi insaan|customer care|agent se|"
    r"staff se baat|mujhe call|call karo|call kijiye|baat karni hai|baat karna hai)\b",
]
_TA_PERSON = [
    r"(ஒருவரிடம் பேச|மனிதரிடம்|ஆளிடம் பேச|யாரிடமாவது பேச|யாராவது கிட்ட|கஸ்டமர் கேர்|"
    r"ஊழியரிடம்|அழையுங்கள்|கால் பண்ணுங்க|பேச வேண்டும்|பேசணும்)",
    r"\b(aal kitta|aalu kitta|yaaravadhu|yaravathu|customer care|staff kitta|"
    r"call pannunga|pesanum|pesa venum|pesa vendum)\b",
]


def _compile(patterns: list[str]) -> list[re.Pattern[str]]:
    """Patterns are folded like the text: no nukta, chandrabindu as anusvara."""
    return [re.compile(fold_indic(p)) for p in patterns]


STRONG_EMERGENCY = _compile(_STRONG_EMERGENCY)
WEAK_EMERGENCY = _compile(_WEAK_EMERGENCY)
MEDICAL = _compile(_EN_MEDICAL + _HI_MEDICAL + _TA_MEDICAL)
PERSON = _compile(_EN_PERSON + _HI_PERSON + _TA_PERSON)
# "How do I test SOS?" asks how it works: not an emergency (unless it also says missing...).
_HOW_TO = re.compile(
    r"\b(how|what|why|set|setup|setting|settings|test|testing|configure|number|numbers|"
    r"works?|does|kaise|kya|kyon|eppadi|enna|yen)\b|(कैसे|क्या|क्यों|सेट|எப்படி|என்ன|ஏன்|அமை)"
)


def _any(patterns: list[re.Pattern[str]], text: str) -> bool:
    return any(p.search(text) for p in patterns)


def is_emergency(question: str) -> bool:
    text = _prepared(question)
    if _any(STRONG_EMERGENCY, text):
        return True
    return _any(WEAK_EMERGENCY, text) and not _HOW_TO.search(text)


def is_medical(question: str) -> bool:
    return _any(MEDICAL, _prepared(question))


def wants_person(question: str) -> bool:
    return _any(PERSON, _prepared(question))


def _prepared(question: str) -> str:
    # Apostrophes are kept ("can't"); everything else is folded words joined by spaces.
    lowered = question.casefold().replace("’", "'").replace("!", " QBANG ")
    joined = " ".join(words(lowered.replace("'", "QQ")))
    return joined.replace("qq", "'").replace(" qbang", "!")
