"""Posts as people paste them: what is matched, and what is kept out."""

from __future__ import annotations

from crosscheck.matching.fusion import reciprocal_rank_fusion
from crosscheck.matching.lexical import MAX_TERMS, lexical_terms
from crosscheck.matching.posts import TWEET_CHARS, normalize_post, query_texts

TWEET = (
    "How are butterflies surviving the #AustralianFires? Water was put out for wildlife "
    "pic.twitter.com/0eJtwJyS1J https://t.co/abc — Center for Bio Div (@CenterForBioDiv) "
    "January 14, 2020"
)


def test_a_tweet_loses_its_links_handle_and_date_and_keeps_its_words() -> None:
    normalized = normalize_post(TWEET)
    assert normalized == (
        "How are butterflies surviving the Australian Fires? Water was put out for wildlife "
        "Center for Bio Div"
    )


def test_handles_hashtags_emoji_and_entities_become_words_or_go() -> None:
    assert normalize_post("@realDonaldTrump says #FakeNews 🔥🔥 &amp; more") == (
        "real Donald Trump says Fake News & more"
    )
    # A quoted tweet keeps its words; the closing quote does not hide the signature.
    quoted = '"DEFUND. CBC. NOW. #DefundTheCBC — Brad Trost 🇨🇦 (@BradTrostCPC) December 26, 2019"'
    assert normalize_post(quoted) == '"DEFUND. CBC. NOW. Defund The CBC Brad Trost'


def test_a_plain_claim_is_left_as_it_is() -> None:
    claim = "At least 3,000 North Korean soldiers are in eastern Russia, the US says."
    assert normalize_post(claim) == claim
    assert query_texts(claim) == [claim]


def test_a_long_post_is_matched_whole_and_sentence_by_sentence() -> None:
    sentences = [
        "The mayor said that twelve residents were treated at St. Brigid hospital.",
        "The water utility says tap water in Riverton is safe to drink without precautions.",
        "Halvorsen Chemicals denies that any solvent reached the river at all this week.",
        "North Korea has sent soldiers to Russia according to the US National Security Council.",
    ]
    post = " ".join(sentences)
    assert len(post) > TWEET_CHARS
    assert query_texts(post) == [post, *sentences]
    # A tweet-length post is one query: its sentences are too short to stand alone.
    assert query_texts(sentences[0]) == [sentences[0]]


def test_lexical_terms_drop_stop_words_and_repeats() -> None:
    assert lexical_terms("The troops, THE troops: are they in Russia? 3,000 of them") == [
        "troops",
        "russia",
        "000",
    ]
    many = " ".join(f"word{i}" for i in range(MAX_TERMS + 10))
    assert len(lexical_terms(many)) == MAX_TERMS
    assert lexical_terms("the of and") == []


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion([[1, 2, 3], [3, 1, 4]], k=10)
    assert [claim_id for claim_id, _ in fused] == [1, 3, 2, 4]
    assert fused[0][1] == 1 / 11 + 1 / 12
