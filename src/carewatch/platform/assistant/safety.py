"""What must not be left to retrieval: emergencies, medical advice, asking for a person
(pure: no Django).

The patterns of every language are tried on every question: a Hindi user may write in
English, and Hinglish and Tanglish are written in Latin letters. Patterns match the
folded text (lowercase; Hindi nukta and chandrabindu folded, see `text.fold`).
An emergency outranks everything; a question *about* SOS ("how do I set the SOS
numbers?", "SOS அழுத்தினா யாருக்கு தெரியும்?", if pressed, who knows) is not an
emergency; a child who pressed it, is missing, taken, followed or hurt is.
"""

from __future__ import annotations

import re

from carewatch.platform.assistant.text import fold_indic, words

_CHILD_EN = r"(child|children|kid|kids|son|daughter|boy|girl|baby|he|she)"
_CHILD_HI = (
    r"(बच्चा|बच्ची|बच्चे|बेटा|बेटी|लड़का|लड़की|"
    r"bachcha|bacha|bachha|bachhe|bachche|baccha|beta|beti|ladka|ladki)"
)
_CHILD_TA = (
    r"(குழந்தை|பிள்ளை|பையன்|பொண்ணு|பெண்|மகன்|மகள்|"
    r"kuzhandhai|kulandhai|kozhandha|pillai|paiyan|ponnu|magan|magal)"
)
# Always an emergency: the child is missing, taken, followed, hurt, or SOS was pressed.
_STRONG_EMERGENCY = [
    # English
    r"\b(kidnap\w*|abduct\w*|taken away|ran away|run away|runaway|accident|unconscious|"
    r"not breathing|bleeding|injured)\b",
    rf"\b{_CHILD_EN}\b.{{0,30}}\bmissing\b|\bmissing\b.{{0,20}}\b{_CHILD_EN}\b",
    rf"\b(lost|can't find|cant find|cannot find|can not find|not finding|no sign of)\b"
    rf".{{0,25}}\b{_CHILD_EN}\b",
    rf"\b{_CHILD_EN}\b.{{0,30}}\b(is lost|got lost|not (come|came) home|hasn't come|"
    r"has not come|didn't come|not back|not returned|hasn't returned|is hurt|got hurt|"
    r"fell|not moving|not answering|not picking up)\b",
    rf"\b(following|stalking|followed)\b.{{0,20}}\b{_CHILD_EN}\b|\bstranger\b.{{0,30}}\b{_CHILD_EN}\b",
    # Hindi and Hinglish
    rf"{_CHILD_HI}.{{0,30}}(गायब|लापता|खो गया|खो गयी|खो गई|नहीं मिल|नहीं लौट|वापस नहीं|"
    r"गिर गया|गिर गई|चोट|बेहोश|हिल नहीं|"
    r"gayab|gaayab|lapata|laapata|kho gay|nahi mil|nahin mil|nahi lauta|wapas nahi|chot|behosh)",
    r"(अपहरण|किडनैप|पीछा कर|उठा ले गय|एक्सीडेंट|दुर्घटना|"
    r"\bapharan\b|\bkidnap|peecha kar|pichha kar|utha le gay|utha liya)",
    r"(गायब है|लापता है|नहीं मिल रहा|नहीं मिल रही)\W*$|\b(gayab hai|lapata hai)\W*$",
    r"(sos|एसओएस)\s*(दबाया|दबा दिया|आया|बटन दबा)|(दबाया|दबा दिया).{0,20}(sos|एसओएस)",
    r"\bsos\b.{0,20}\b(dabaya|daba diya|aaya|aya)\b",
    # Tamil and Tanglish
    rf"{_CHILD_TA}.{{0,40}}(காணவில்லை|காணோம்|காணல|காணாமல் போ|தொலைந்து|தொலைஞ்சு|கிடைக்கல|"
    r"வரல|வரவில்லை|விழுந்து|அடி பட்ட|காயம்|மயக்கம்|அசையல|"
    r"kaanom|kanom|kaanavillai|kanavillai|kaanala|kanala|kanamal|tholanju|tholaindhu|"
    r"kidaikala|kidaikkala|varala|vizhundhu|adi patt|kaayam|mayakkam|asaiyala)",
    r"(காணவில்லை|காணோம்|காணாமல் போய்)\W*$|(கடத்த|பின்தொடர|kadathit\w*|kadathal)",
    r"\bfollow (panra|pannura|pandra)\w*|(follow பண்ற)",
    r"(sos|எஸ்ஓஎஸ்)\s*(அழுத்தியிருக்க|அழுத்திட்ட|அழுத்தினான்|அழுத்தினாள்|வந்துச்சு|வந்தது)",
    r"\bsos\b.{0,20}\b(amukkitan|azhuthitan|azhuthinan|azhuthinaal|vandhuchu|vanthuchu)\b",
    r"\b(phone|call)\b.{0,10}\b(edukkala|edukala|eduka maatt\w*)\b",
]
# SOS was pressed (an event, not "when SOS is pressed, who is told?").
_SOS_EVENT = [
    r"\b(pressed|pushed|triggered|hit) (the )?sos\b|\bsos\b.{0,15}\b(pressed|came|went off|"
    r"alert came|alert just came|received|triggered)\b|\b(got|received) an? sos\b",
]
_HYPOTHETICAL = re.compile(r"\b(when|if|whenever|once|after|what happens)\b[^.?!]{0,25}\bsos\b")
# An emergency unless the question asks how something works ("how do I test SOS?").
_WEAK_EMERGENCY = [
    r"\b(emergency|help!|urgent help)\b|^\W*help\W*$",
    r"^\W*sos\W*$|\bsos\W*(now|please|help)\b|\bsos+!",
    r"(आपातकाल|इमरजेंसी|बचाओ|मदद करो|तुरंत मदद|\bbachao\b)",
    r"(அவசரம்|அவசர உதவி|உதவுங்கள்|காப்பாத்து|காப்பாற்று|\bavasaram\b|\bkaapathunga\b)",
]

_EN_MEDICAL = [
    r"\b(medicine|medication|tablet|pill|drug|dose|dosage|insulin|metformin|treat|treatment|"
    r"cure|cured|surgery|operation|injection|laser|diet|remedy|ayurved\w*|homeopath\w*)\b",
    r"\beye ?drops?\b.{0,30}\b(for|retinopathy|dr|cure|treat|use|put)\b|"
    r"\b(retinopathy|dr)\b.{0,20}\beye ?drops?\b",
    r"\b(am i|will i|could i|do i|is my|are my)\b.{0,30}\b(blind|diabet\w*|retinopathy|"
    r"serious|dangerous|normal|healthy|sick|going blind|lose my (sight|vision)|get better)\b",
    r"\b(do i have|have i got|is it|is this)\b.{0,10}\b(dr|retinopathy|glaucoma|cataract)\b",
    r"\b(diagnos\w*|prescri\w*|should i (take|stop|start|worry)|"
    r"what should i do about my (eye|eyes|sight|vision|sugar))\b",
    r"\b(blurr?(y|ed)|itchy eyes?|red eyes?|floaters|dark spots?)\b",
    r"\b(sugar|glucose|hba1c)\b.{0,15}\b(\d{2,3}|high|low|level)\b",
    r"\b(skip|ignore|avoid|delay|postpone|wait)\b.{0,40}\b(doctor|referral|report|treatment)\b"
    r"|\binstead of\b.{0,20}\b(months?|weeks?)\b|\bcan i ignore\b",
]
_HI_MEDICAL = [
    r"(दवा|दवाई|दवाइयाँ|दवाइयां|इलाज|उपचार|ऑपरेशन|आपरेशन|इंजेक्शन|लेजर|इंसुलिन|खुराक|डोज|"
    r"आयुर्वेद|होम्योपैथी|धुंधला)",
    r"(अंधा|अंधी|अंधापन|रोशनी चली|रोशनी जाएगी|ठीक हो जाएगा|ठीक हो जाएगी|ठीक हो सकत|गंभीर है)",
    r"(मुझे|mujhe)\s*(dr|रेटिनोपैथी|retinopathy)\s*(है|hai)|(क्या मुझे|kya mujhe)\s*(dr|रेटिनोपैथी)",
    r"(शुगर|sugar)\s*\d{2,3}|(डॉक्टर|डाक्टर).{0,30}(जाना जरूरी|ना जाऊं|नहीं जाऊं)",
    r"\b(dawa|dawai|davai|dava|ilaj|ilaaj|upchar|operation|injection|laser|insulin|"
    r"andha|andhi|andhapan|theek ho jayega|thik ho jayega|gambhir|dhundhla)\b",
    r"\b(ignore kar)\b|\b(saal|mahine)\b.{0,20}\bki jagah\b|\bki jagah\b.{0,20}\b(saal|mahine)\b"
    r"|\b(eye drop)\b.{0,20}\b(daal|dalu|daalu|lagau)\w*",
]
_TA_MEDICAL = [
    r"((?<!சொட்டு )மருந்து|மாத்திரை|சிகிச்சை|வைத்தியம்|ஆபரேஷன்|அறுவை|ஊசி|லேசர்|இன்சுலின்|"
    r"டோஸ்|மங்கலா|மங்கலாக)",
    r"(குருடு|பார்வை போ|பார்வை இழ|கண் தெரியாம|குணமா|சரியாகுமா|சரியாயிடுமா|ஆபத்தா|சீரியஸா)",
    r"(எனக்கு|enakku)\s*(dr|ரெட்டினோபதி|retinopathy)\s*(இருக்கா|irukka)",
    r"(சுகர்|sugar)\s*\d{2,3}|(டாக்டர்|doctor).{0,20}(போகாம|pogaama|pogama)",
    r"\b(marundhu|marunthu|maruthu|mathirai|sigichai|sikichai|vaithiyam|operation|oosi|"
    r"laser|insulin|kurudu|paarvai pogum|parvai pogum|saraagumaa|sariyagumaa|serious|"
    r"theriyaama po\w*|vittudalama|vittudalaamaa)\b",
    r"\b(eye drop)\b.{0,20}\b(podanum|podalama|poda)\b|\b(maasam|masam) illa\b",
]

_EN_PERSON = [
    r"\b(talk|speak|chat)\b.{0,20}\b(person|human|someone|somebody|agent|staff|people|"
    r"representative|support|team|executive)\b",
    r"\b(real|live) (person|human|agent)\b|\bhuman\b|\b(not|isn't|isnt) helping\b|\buseless\b",
    r"\b(connect|transfer|put) me (to|through)\b",
    r"\b(call me|contact me|phone me|ring me|call me back)\b",
]
_HI_PERSON = [
    r"(किसी इंसान|किसी व्यक्ति|किसी से बात|इंसान से|व्यक्ति से बात|एजेंट से|स्टाफ से बात|मुझे कॉल|"
    r"बात करनी है|बात करना है)",
    r"\b(insaan se|insan se|kisi se baat|kisi insaan|agent se|"
    r"staff se baat|mujhe call|call karo|call kijiye|baat karni hai|baat karna hai)\b",
]
_TA_PERSON = [
    r"(ஒருவரிடம் பேச|மனிதரிடம்|ஆளிடம் பேச|யாரிடமாவது பேச|யாராவது கிட்ட பேச|"
    r"ஊழியரிடம்|அழையுங்கள்|கால் பண்ணுங்க|பேச வேண்டும்|பேசணும்)",
    r"\b(aal kitta|aalu kitta|yaaravadhu kitta|yaravathu kitta|staff kitta|"
    r"call pannunga|pesanum|pesa venum|pesa vendum|connect pannunga|agent kitta|"
    r"koopidunga|kupidunga|enna call panna|ennai call panna|udhavala|udavala)\b",
]


def _compile(patterns: list[str]) -> list[re.Pattern[str]]:
    """Patterns are folded like the text: no nukta, chandrabindu as anusvara."""
    return [re.compile(fold_indic(p)) for p in patterns]


STRONG_EMERGENCY = _compile(_STRONG_EMERGENCY)
WEAK_EMERGENCY = _compile(_WEAK_EMERGENCY)
SOS_EVENT = _compile(_SOS_EVENT)
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
    if _any(SOS_EVENT, text) and not _HYPOTHETICAL.search(text):
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
