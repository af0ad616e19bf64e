from __future__ import annotations

import math

import pytest

from crosscheck.stance.quantities import (
    Quantity,
    extract_quantities,
    find_agreement,
    find_conflict,
)

NIS_STATEMENT = (
    "At least 1,500 North Korean special forces soldiers are training in Russia, "
    "and a further 1,500 troops have also entered Russia recently."
)


def _only(text: str) -> Quantity:
    quantities = extract_quantities(text)
    assert len(quantities) == 1, quantities
    return quantities[0]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3,000 troops", 3000),
        ("1,250,000 soldiers", 1_250_000),
        ("1.5k troops", 1500),
        ("2.5 million refugees", 2_500_000),
        ("three thousand soldiers", 3000),
        ("two hundred soldiers", 200),
        ("twelve tanks", 12),
        ("42 soldiers", 42),
    ],
)
def test_bare_figure_is_the_value_give_or_take_five_percent(text: str, value: float) -> None:
    quantity = _only(text)
    assert quantity.low == pytest.approx(value * 0.95)
    assert quantity.high == pytest.approx(value * 1.05)
    assert not quantity.additive


def test_quantity_text_keeps_the_counted_phrase() -> None:
    assert _only("Pyongyang sent 3,000 troops to Russia").text == "3,000 troops"


def test_soldier_synonyms_count_the_same_thing() -> None:
    soldiers = _only("3,000 soldiers")
    troops = _only("3,000 troops")
    personnel = _only("3,000 personnel")
    assert "soldier" in troops.units
    assert "troop" in soldiers.units
    assert soldiers.counts_same_thing(troops)
    assert personnel.counts_same_thing(soldiers)


def test_unit_is_singularised() -> None:
    assert _only("1,500 containers").units == frozenset({"container"})
    assert _only("20 factories").units == frozenset({"factory"})


@pytest.mark.parametrize(
    "qualifier", ["at least", "more than", "over", "no fewer than", "in excess of"]
)
def test_lower_bound_qualifiers_give_open_ended_interval(qualifier: str) -> None:
    quantity = _only(f"{qualifier} 3,000 troops")
    assert quantity.low == 3000
    assert quantity.high == math.inf


@pytest.mark.parametrize("qualifier", ["up to", "at most", "fewer than", "no more than", "Up To"])
def test_upper_bound_qualifiers_give_interval_from_zero(qualifier: str) -> None:
    quantity = _only(f"{qualifier} 500 soldiers")
    assert quantity.low == 0
    assert quantity.high == 500


@pytest.mark.parametrize("qualifier", ["about", "approximately", "around", "roughly", "some"])
def test_approximate_qualifiers_widen_to_fifteen_percent(qualifier: str) -> None:
    quantity = _only(f"{qualifier} 1,500 soldiers")
    assert quantity.low == pytest.approx(1275)
    assert quantity.high == pytest.approx(1725)


@pytest.mark.parametrize(
    "text",
    [
        "In 2023 the army grew",
        "By 2024 soldiers were everywhere",
        "The count was 42.",
        "Russia received 3,000 in total",
        "Numbers rose to 17 in May",
        "",
    ],
)
def test_years_and_unitless_numbers_are_ignored(text: str) -> None:
    assert extract_quantities(text) == []


def test_comma_separated_number_in_year_range_is_not_a_year() -> None:
    assert _only("2,023 soldiers").low == pytest.approx(2023 * 0.95)


def test_several_quantities_are_found_in_order() -> None:
    quantities = extract_quantities("They sent 300 soldiers and 20 tanks")
    assert [q.text for q in quantities] == ["300 soldiers", "20 tanks"]
    assert not quantities[0].counts_same_thing(quantities[1])


def test_additive_parts_are_summed_into_a_total() -> None:
    quantities = extract_quantities(NIS_STATEMENT)
    assert len(quantities) == 3
    first, further, total = quantities
    assert (first.low, first.high) == (1500, math.inf)
    assert further.additive
    assert further.low == pytest.approx(1425)
    assert not total.additive
    assert total.low == pytest.approx(2925)
    assert total.high == math.inf
    assert total.text == f"{first.text} + {further.text}"
    assert total.counts_same_thing(_only("3,000 troops"))


@pytest.mark.parametrize("text", ["another 200 soldiers", "200 more soldiers", "200 extra troops"])
def test_additive_markers(text: str) -> None:
    assert _only(text).additive


def test_additive_figure_without_earlier_figure_gets_no_total() -> None:
    quantities = extract_quantities("200 tanks arrived and another 300 soldiers came")
    assert len(quantities) == 2
    assert not any("+" in q.text for q in quantities)


def test_approximate_figure_conflicts_with_higher_lower_bound() -> None:
    conflict = find_conflict("about 1,500 soldiers were sent", "at least 3,000 troops were sent")
    assert conflict is not None
    assert conflict.claimed.text == "about 1,500 soldiers"
    assert [q.text for q in conflict.stated] == ["at least 3,000 troops"]


def test_summed_statement_does_not_conflict_with_its_total() -> None:
    assert find_conflict("at least 3,000 troops were sent", NIS_STATEMENT) is None


def test_overlapping_figures_do_not_conflict() -> None:
    assert find_conflict("about 3,000 troops", "3,100 soldiers") is None
    assert find_conflict("up to 5,000 troops", "3,000 soldiers") is None


def test_disjoint_upper_bound_conflicts() -> None:
    assert find_conflict("up to 1,000 troops", "at least 3,000 soldiers") is not None


@pytest.mark.parametrize(
    ("claim", "evidence"),
    [
        ("1,500 containers", "at least 3,000 soldiers"),
        ("about 1,500 soldiers", "at least 3,000 containers"),
        ("about 10 tanks", "at least 3,000 soldiers"),
    ],
)
def test_different_things_counted_never_conflict(claim: str, evidence: str) -> None:
    assert find_conflict(claim, evidence) is None


def test_no_figures_no_conflict_and_no_agreement() -> None:
    assert find_conflict("North Korea sent troops", "at least 3,000 troops") is None
    assert find_agreement("North Korea sent troops", "at least 3,000 troops") is None


def test_agreement_returns_claimed_and_stated_quantity() -> None:
    agreement = find_agreement("about 3,000 troops", "3,100 soldiers")
    assert agreement is not None
    claimed, stated = agreement
    assert claimed.text == "about 3,000 troops"
    assert stated.text == "3,100 soldiers"


def test_no_agreement_for_disjoint_or_different_counts() -> None:
    assert find_agreement("about 1,500 soldiers", "at least 3,000 troops") is None
    assert find_agreement("1,500 containers", "1,500 soldiers") is None


def test_summed_statement_agrees_with_its_total() -> None:
    assert find_agreement("at least 3,000 troops", NIS_STATEMENT) is not None


def test_a_verb_after_the_noun_is_not_what_is_counted() -> None:
    assert (
        find_conflict(
            "About 1,500 containers arrived at the port", "At least 3,000 soldiers arrived"
        )
        is None
    )
    assert find_conflict(
        "About 1,500 soldiers arrived in Russia", "At least 3,000 troops were deployed"
    )


def test_parts_of_a_sum_in_the_claim_are_checked_through_the_sum() -> None:
    claim = "1,500 soldiers train there, and a further 1,500 troops have also entered Russia."
    assert find_conflict(claim, "At least 3,000 troops were sent") is None
    assert find_conflict(claim, "About 3,000 troops were sent") is None
    assert find_conflict(claim, "Only 500 troops were sent") is not None


def test_nobody_and_no_things_are_counts_of_zero() -> None:
    claim = "Twelve people needed hospital treatment after the leak"
    denial = "Nobody in Riverton was harmed, and no resident required medical treatment."
    conflict = find_conflict(claim, denial)
    assert conflict is not None and [q.text for q in conflict.stated] == ["Nobody"]
    assert find_conflict("Three ships were sighted.", "No ships were visible anywhere.")


@pytest.mark.parametrize(
    "evidence",
    [
        "No more than 20 ships were sighted.",
        "No other ships were sighted.",
        "There is no indication so far of more ships.",
        "No doubt twelve ships were sighted.",
        "Twelve ships were sighted; no one knows where they went.",
    ],
)
def test_no_as_a_qualifier_or_comparison_is_not_a_count_of_zero(evidence: str) -> None:
    assert find_conflict("Twelve ships were sighted.", evidence) is None
