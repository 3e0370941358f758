"""The entity finders' shortcuts give what the plain way gives: the amount finder skips digits
that no currency or multiplier can touch, and Latin words come from bytes.translate."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from scamtrail.extract import entities
from scamtrail.extract.normalize import digit_chains

PIECES = ["Rs", "Rs.", "rs ", "₹", "INR ", "rupees", " ", "\u00a0", "5000", "1,25,000", "2.5",
          "k", "L", " lakh", "lac", " cr", " crore", " thousand", "हजार", " लाख", " करोड़",
          " रुपये", "रु.", "/-", "-", ".", ",", "call ", "98765 43210", "x", "\n", "ref 12",
          " hazaar", "t", "h", "c", " call", " ca", " tax", " hr", " la", " rupaye", " rs",
          " Rs", "TH", " Thousand", " CR", " हज़ार", " कोटी", " रुपया", " ru", " /", " ₹",
          " hajar", " lacs", " Lakhs", " crores", " rupee", " रुपए", "İ", "K"]  # fmt: skip


def every_group(text: str) -> list[tuple[str, str, int, int]]:
    """The finder without the shortcut: the amount pattern at every digit group."""
    out: list[tuple[str, str, int, int]] = []
    done = 0
    words = entities.words_of(text)
    worded = (
        not entities._AMOUNT_TOKENS.isdisjoint(words.words)
        or "₹" in text
        or "/-" in text
        or (not text.isascii() and any(word in text for word in entities._AMOUNT_DEVA))
    )
    for c_start, c_end in digit_chains(text):
        if c_end <= done or not (worded or text[c_end : c_end + 1] in entities._GLUED):
            continue
        if text[c_start] == "+":
            c_start += 1
        for m in entities._GROUP_RE.finditer(text, c_start, c_end):
            g = m.start()
            if g < done or (g > 0 and text[g - 1] in "0123456789,"):
                continue
            if g > 1 and text[g - 1] == "." and text[g - 2].isdigit():
                continue
            item = entities._amount_at(text, g)
            if item is not None:
                out.append(item)
                done = item[3]
    return out


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14))
def test_shortcut_changes_nothing(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert entities.find_amounts(text) == every_group(text)


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["SBI", "hdfc", "Rs", "lakh", "bank", "İ", "é", "स्टेट", "_", "1", " "]),
            st.text(max_size=4),
        ),
        max_size=12,
    )
)
def test_latin_words_are_the_runs_of_a_to_z(pieces: list[str]) -> None:
    text = "".join(pieces)
    words = entities.words_of(text)
    assert words.words == entities._KEY_WORDS.intersection(entities._WORD_RE.findall(words.low))
