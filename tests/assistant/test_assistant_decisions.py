"""What the assistant decides for a question (pure: no Django, no database)."""

from __future__ import annotations

import dataclasses

import pytest

from carewatch.platform.assistant import engine, replies, safety
from carewatch.platform.assistant.engine import Assistant, Settings
from carewatch.platform.assistant.passages import parse
from tests.assistant.fixtures import assistant, passages

EMERGENCIES = [
    ("en", "My child is missing!"),
    ("en", "SOS"),
    ("en", "can't find my daughter anywhere"),
    ("en", "my son pressed SOS on his watch"),
    ("en", "he has not come home from school"),
    ("en", "SOS pressed, what do I do?"),
    ("en", "my daughter fell and is not moving"),
    ("en", "a stranger is following my son"),
    ("hi", "SOS दबाया है अब क्या करूं"),
    ("ta", "SOS அழுத்தியிருக்கு, இப்போ என்ன பண்றது"),
    ("hi", "मेरा बच्चा गायब है"),
    ("hi", "बेटी नहीं मिल रही"),
    ("hi", "beta nahi mil raha please help"),
    ("ta", "என் குழந்தையை காணவில்லை"),
    ("ta", "paiyan kaanom"),
    ("ta", "மகள் தொலைந்து போனாள்"),
]
MEDICAL = [
    ("en", "what medicine should I take for moderate retinopathy?"),
    ("en", "Will I go blind?"),
    ("en", "do I need laser treatment"),
    ("hi", "मुझे कौन सी दवा लेनी चाहिए"),
    ("hi", "kya mera ilaj ho sakta hai"),
    ("ta", "எனக்கு என்ன மருந்து சாப்பிட வேண்டும்"),
    ("ta", "enakku sigichai venuma"),
    ("en", "the report says moderate, can I skip the doctor?"),
    ("en", "my sugar is 250, is my report bad because of it"),
]
NOT_MEDICAL = [
    "after the dilating drops can I drive home?",
    "சொட்டு மருந்து போட்ட பிறகு வண்டி ஓட்டலாமா",
    "can I track my son's phone instead of buying a watch",
    "what does moderate retinopathy mean on my report",
]
PEOPLE = [
    ("en", "I want to talk to a person"),
    ("en", "connect me to customer care"),
    ("hi", "kisi insaan se baat karni hai"),
    ("hi", "मुझे किसी व्यक्ति से बात करनी है"),
    ("ta", "யாரிடமாவது பேச வேண்டும்"),
    ("ta", "customer care kitta pesanum"),
]
NOT_EMERGENCIES = [
    "how do I test the SOS button?",
    "what happens when my child presses SOS",
    "how to set the SOS numbers",
    "my son lost his watch charger",
    "why is the history missing some points",
    "who gets notified when SOS is pressed?",
    "SOS அழுத்தினா யார் யாருக்கு தெரியும்",
]


@pytest.mark.parametrize(("lang", "question"), EMERGENCIES)
def test_it_answers_an_emergency_first_with_the_map_the_sos_settings_and_112(
    lang: str, question: str
) -> None:
    reply = assistant().ask(question, lang)
    assert reply.kind == "emergency"
    assert reply.answer == replies.EMERGENCY[lang]
    assert "112" in reply.answer
    urls = [link.url for link in reply.links]
    assert urls == ["tel:112", replies.LIVE_MAP, replies.SOS_SETTINGS]


@pytest.mark.parametrize("question", NOT_EMERGENCIES)
def test_it_does_not_take_a_question_about_sos_or_a_lost_thing_for_an_emergency(
    question: str,
) -> None:
    assert not safety.is_emergency(question)


@pytest.mark.parametrize(("lang", "question"), MEDICAL)
def test_it_gives_the_fixed_medical_answer_for_diagnosis_or_treatment(
    lang: str, question: str
) -> None:
    reply = assistant().ask(question, lang)
    assert reply.kind == "medical"
    assert reply.answer == replies.MEDICAL[lang]
    assert replies.REPORTS in [link.url for link in reply.links]


def test_an_emergency_outranks_a_medical_question() -> None:
    assert assistant().ask("my child is missing and needs his insulin", "en").kind == "emergency"


@pytest.mark.parametrize("question", NOT_MEDICAL)
def test_a_question_about_the_visit_or_the_grades_is_not_taken_for_medical_advice(
    question: str,
) -> None:
    assert not safety.is_medical(question)


def test_asking_for_the_customer_care_number_is_a_help_question_not_a_hand_over() -> None:
    assert not safety.wants_person("is there a customer care number")


@pytest.mark.parametrize(("lang", "question"), PEOPLE)
def test_asking_for_a_person_hands_over(lang: str, question: str) -> None:
    reply = assistant().ask(question, lang)
    assert reply.kind == "handover"
    assert reply.answer == replies.HANDOVER[lang]


def test_it_answers_with_the_passage_and_its_section() -> None:
    reply = assistant().ask("what does a grey marker mean?", "en")
    assert reply.kind == "answer"
    assert reply.section == "/help/kids/live-map/"
    assert reply.passage is not None and "grey marker" in reply.answer
    assert reply.links[0].url == "/help/kids/live-map/#what-the-markers-mean"


def test_it_answers_in_tamil_from_the_tamil_help() -> None:
    reply = assistant().ask("வரைபடத்தில் சாம்பல் குறி என்றால் என்ன?", "ta")
    assert (reply.kind, reply.section) == ("answer", "/help/kids/live-map/")
    assert "சாம்பல்" in reply.answer


def test_tanglish_words_find_the_article_through_its_keywords() -> None:
    reply = assistant().ask("varaipadam la enna kaatudhu", "ta")
    assert reply.sections[0] == "/help/kids/live-map/"


def test_english_words_in_a_tamil_question_also_search_the_english_help() -> None:
    eager = Settings(out_of_scope_below=(("ta", 0.01),), handover_factor=1.0)
    with_fusion = Assistant(passages(), settings=eager).ask("watch low alert eppo varum", "ta")
    assert with_fusion.sections[0] == "/help/kids/battery-offline/"
    assert with_fusion.answer.startswith("கடிகாரத்தின்")  # the Tamil passage of that article
    without = dataclasses.replace(eager, english_weight=0.0)
    assert Assistant(passages(), settings=without).ask("watch low alert", "ta").sections == ()


def test_hindi_nukta_and_chandrabindu_variants_match() -> None:
    with_nukta = assistant().ask("नक़्शे पर निशान", "hi")
    without = assistant().ask("नकशे पर निशान", "hi")
    assert with_nukta.sections[:1] == without.sections[:1] == ("/help/kids/live-map/",)


def test_the_current_page_ranks_the_articles_that_explain_it_higher() -> None:
    bot = Assistant(passages(), settings=dataclasses.replace(Settings(), page_boost=5.0))
    question = "what is shown here for my child"
    on_places = bot.ask(question, "en", "/kids/tracker/family/3/places/")
    on_map = bot.ask(question, "en", "/kids/tracker/family/3/map/")
    assert on_places.sections[0] == "/help/kids/safe-places/"
    assert on_map.sections[0] == "/help/kids/live-map/"


def test_a_question_about_something_else_is_out_of_scope_with_a_way_to_a_person() -> None:
    reply = assistant().ask("who won the cricket match yesterday?", "en")
    assert reply.kind == "out_of_scope"
    assert reply.answer == replies.OUT_OF_SCOPE["en"]
    assert [link.url for link in reply.links] == [replies.PERSON]


def test_a_weak_match_is_handed_over() -> None:
    unsure = Settings(out_of_scope_below=(("en", 0.01),), handover_factor=99.0)
    assert Assistant(passages(), settings=unsure).ask("grey marker", "en").kind == "handover"


@pytest.mark.parametrize(
    "question", ["", "   ", "\x00\x01\x02", "?!?!", "\u202e\u202d", "a" * 100_000, "🙂" * 5000]
)
def test_hostile_or_empty_input_gets_a_reply_not_an_error(question: str) -> None:
    reply = assistant().ask(question, "en")
    assert reply.kind in engine.KINDS
    assert "\x00" not in reply.answer


def test_an_unknown_language_falls_back_to_english() -> None:
    assert assistant().ask("grey marker", "fr").lang == "en"


def test_an_explicit_anchor_and_the_front_matter_are_read() -> None:
    (first, second) = parse("en", "kids", "live-map", _article())
    assert second.anchor == "history" and second.heading == "Playing a day back"
    assert first.pages == ("kids/tracker/family/*/map",)
    assert "naksha" in first.keywords


def _article() -> str:
    from tests.assistant.fixtures import ARTICLES

    return ARTICLES[("en", "kids", "live-map")]
