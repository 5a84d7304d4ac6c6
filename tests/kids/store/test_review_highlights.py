"""Review highlights: which aspects parents mention and in which sense. Plain Python."""

from __future__ import annotations

from carewatch.kids.store.reviews.highlights import (
    clause_sense,
    highlights,
    mentions,
    review_senses,
    snippet,
)


def senses(text: str) -> dict[str, int]:
    return {aspect: sense for aspect, (sense, _quote) in review_senses(text).items()}


def test_it_finds_the_aspect_a_sentence_talks_about_and_its_sense() -> None:
    assert senses("The battery lasts two days, brilliant.") == {"battery": 1}
    assert senses("Location is accurate to a few metres.") == {"gps": 1}
    assert senses("The strap gave my son a rash.") == {"comfort": -1}
    assert senses("Too expensive for what it does.") == {"price": -1}


def test_it_flips_a_word_that_a_negation_governs() -> None:
    assert senses("The GPS is not accurate.") == {"gps": -1}
    assert senses("The GPS isn't very accurate.") == {"gps": -1}
    assert senses("No problems with the strap at all.") == {"comfort": 1}
    assert senses("The app never crashes.") == {"app": 1}


def test_a_negation_governs_only_the_next_sentiment_word() -> None:
    assert clause_sense("Not bad, works great") == 1
    assert clause_sense("not good") == -1


def test_it_splits_a_mixed_review_at_but_and_counts_each_side() -> None:
    text = "The battery is great but the GPS is not accurate in our building."
    assert senses(text) == {"battery": 1, "gps": -1}


def test_it_reads_a_sentence_that_names_two_aspects_for_both() -> None:
    assert senses("Calling and SOS both work perfectly.") == {"calling": 1, "sos": 1}


def test_a_mention_without_an_opinion_is_neutral() -> None:
    assert senses("We charge it every night.") == {"battery": 0}


def test_it_sums_a_reviews_clauses_into_one_sense_per_aspect() -> None:
    text = "Battery is good. Battery also charges fast. Sadly the battery died once."
    assert senses(text) == {"battery": 1}
    assert len([m for m in mentions(text) if m.aspect == "battery"]) == 3


def test_it_understands_hindi_keywords_and_the_negation_after_the_word() -> None:
    assert senses("बैटरी अच्छी है") == {"battery": 1}
    assert senses("बैटरी अच्छी नहीं है") == {"battery": -1}
    assert senses("लोकेशन सही है लेकिन कॉल की आवाज़ खराब है") == {"gps": 1, "calling": -1}


def test_it_understands_tamil_keywords_with_case_endings_and_negation() -> None:
    assert senses("பேட்டரியின் ஆயுள் அருமை") == {"battery": 1}
    assert senses("பேட்டரி நல்லா இல்லை") == {"battery": -1}
    assert senses("விலை மோசம்") == {"price": -1}


def test_it_counts_each_review_once_per_aspect_and_reports_the_positive_share() -> None:
    reviews = [
        "Battery lasts all day. Battery is great, battery is amazing.",
        "The battery is weak.",
        "Great battery and accurate GPS.",
        "GPS jumps around near our school.",
        "Comfortable strap.",
    ]
    found = {h.aspect: h for h in highlights(reviews)}
    assert (found["battery"].mentions, found["battery"].positive) == (3, 2)
    assert found["battery"].negative == 1
    assert (found["gps"].mentions, found["gps"].positive, found["gps"].negative) == (2, 1, 1)


def test_the_most_mentioned_aspects_come_first_and_only_the_top_ones() -> None:
    reviews = ["Good battery.", "Battery ok, app is easy.", "The app is slow.", "Nice strap."]
    reviews += ["Battery dies quickly."]
    found = highlights(reviews, top=2)
    assert [h.aspect for h in found] == ["battery", "app"]


def test_the_quote_comes_from_the_first_review_that_shares_the_majority_sense() -> None:
    reviews = ["The battery is terrible.", "Battery lasts two days.", "Battery is great."]
    (battery,) = highlights(reviews)
    assert battery.sense == "positive"
    assert battery.quote == "Battery lasts two days"


def test_a_mostly_negative_aspect_is_marked_negative() -> None:
    reviews = ["The strap is itchy.", "Strap broke in a week.", "Strap is fine."]
    (strap,) = [h for h in highlights(reviews) if h.aspect == "comfort"]
    assert strap.sense == "negative"
    assert strap.quote == "The strap is itchy"


def test_a_long_quote_is_cut_at_a_word() -> None:
    quote = snippet("battery " * 40, limit=30)
    assert quote.endswith("…")
    assert len(quote) <= 30
    assert "batter…" not in quote


def test_reviews_that_mention_nothing_give_no_highlights() -> None:
    assert highlights(["Arrived on time.", "My daughter loves the colour."]) == []
