"""Reading typed answers: normalization, near-miss spelling and numbers as people type them."""
from __future__ import annotations

from decimal import Decimal

import pytest

from quiz.domain.answers import How, answer_key, match_text, normalize, parse_number


@pytest.mark.parametrize(("text", "expected"), [
    ("  The  Sévaré! ", "sevare"),
    ("L’Afrique", "afrique"),
    ("l'Afrique", "afrique"),
    ("« La Paz »", "paz"),
    ("des\u00a0Touaregs", "touaregs"),
    ("an apple", "apple"),
    ("The", "the"),                      # an article alone stays
    ("A.Q.I.M.", "a q i m"),             # initials are not an article
    ("Theatre", "theatre"),
    ("Côte d’Ivoire", "cote d ivoire"),
    ("Œuvre", "oeuvre"),
    ("STRASSE", "strasse"),
    ("Straße", "strasse"),
    ("Jean-Yves  Le\tDrian", "jean yves le drian"),
    ("", ""),
    ("?!", ""),
])
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_keys_ignore_spacing_but_can_keep_accents() -> None:
    assert answer_key("Ansar Dine") == answer_key("Ansardine") == "ansardine"
    assert answer_key("Sévaré", keep_accents=True) == "sévaré"
    assert answer_key("Se\u0301vare\u0301", keep_accents=True) == "sévaré"  # decomposed accents


@pytest.mark.parametrize(("response", "accepted", "fuzzy", "wrong", "how", "matched"), [
    ("Sévaré", ["Sévaré"], True, [], How.EXACT, "Sévaré"),
    ("sevare", ["Sévaré", "Sevare"], False, [], How.EXACT, "Sévaré"),
    ("Sevaré", ["Sévaré"], False, [], How.ACCENTS, "Sévaré"),
    ("Sevarre", ["Sévaré"], True, [], How.NEAR_MISS, "Sévaré"),
    ("Sevarre", ["Sévaré"], False, [], How.WRONG, None),
    ("Knona", ["Konna"], True, [], How.NEAR_MISS, "Konna"),          # swapped neighbours: one edit
    ("Gao", ["Mali"], True, [], How.WRONG, None),
    ("Bali", ["Mali"], True, [], How.WRONG, None),                    # four letters: no fuzziness
    ("Iraq", ["Iran"], True, [], How.WRONG, None),
    ("Austria", ["Australia"], True, [], How.WRONG, None),            # two edits in nine letters
    ("Niger", ["Nigeria"], True, [], How.WRONG, None),
    ("Ouagadoogu", ["Ouagadougou"], True, [], How.NEAR_MISS, "Ouagadougou"),  # two edits in eleven
    ("Barkhana", ["Serval"], True, ["Barkhane"], How.WRONG, None),
    ("Marseilles", ["Marseille"], True, ["Marseilles"], How.WRONG, None),    # as close to a wrong answer
    ("Marseile", ["Marseille"], True, ["Marseilles"], How.NEAR_MISS, "Marseille"),
    ("", ["Mali"], True, [], How.WRONG, None),
    ("the", ["the Sahel"], True, [], How.WRONG, None),
])
def test_match_text(response: str, accepted: list[str], fuzzy: bool, wrong: list[str], how: How,
                    matched: str | None) -> None:
    result = match_text(response, accepted, fuzzy=fuzzy, wrong=wrong)
    assert (result.how, result.matched) == (how, matched)
    assert result.accepted == (how is not How.WRONG)


@pytest.mark.parametrize(("text", "expected"), [
    ("3000", "3000"),
    ("3,000", "3000"),
    ("3 000", "3000"),
    ("3\u00a0000", "3000"),
    ("3\u202f000 troops", "3000"),
    ("3'000", "3000"),
    ("3’000", "3000"),
    ("1,234,567", "1234567"),
    ("1.234.567", "1234567"),
    ("1,234.5", "1234.5"),
    ("1.234,5", "1234.5"),
    ("3 000,5", "3000.5"),
    ("2.5", "2.5"),
    ("2,5", "2.5"),
    ("0,500", "0.5"),      # a leading zero makes the comma a decimal mark
    ("2,50", "2.5"),
    ("-2,5", "-2.5"),
    ("\u22122.5", "-2.5"),  # the minus sign
    ("+7", "7"),
    ("3000.", "3000"),
    ("50 m²", "50"),
    ("٣٠٠٠", "3000"),      # Arabic-Indic digits
    ("", None),
    ("troops", None),
    ("about 3000", None),
    ("3000-3500", None),
    ("1e3", None),
    ("30 00", None),
    ("1,2,3", None),
    ("12,345.678,9", None),
])
def test_parse_number(text: str, expected: str | None) -> None:
    value = parse_number(text)
    assert (value if value is None else value.normalize()) == (None if expected is None else Decimal(expected).normalize())
