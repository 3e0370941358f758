"""The one scan: every candidate identifier in a text from a single pass of one regex.

:func:`scan` walks the digit-folded text once with :data:`SCAN_RE` and returns a
:class:`Candidates`: the digit chains (phones, vehicles, bank accounts, amounts start there),
the ``@`` signs (UPI IDs, emails) and the dots that could sit inside a host name (URLs). Each
kind's finder then validates only its own candidates. A text with none of them (no digit, no
``@``, no dot between two letters or digits) costs the scan and nothing else.

Why one ``re`` pattern and not an alternation of named groups, ``regex``, RE2 or Hyperscan
(measured on the benchmark's 20,000 texts, µs a text, same minutes; ``extract/ARCHITECTURE.md``):

- the pattern starts with one character class, ``[0-9+@.[({]``, so the engine skips in C to the
  next character that can start a candidate, and the branch after it is chosen by a lookbehind
  on that character. An alternation of named groups (``(?P<num>...)|(?P<at>@)|...``) has no
  such prefix: the engine tries every branch at every position, four times slower;
- ``regex`` and ``google-re2`` are slower still from Python on texts this short (per-call and
  per-match overhead), and Hyperscan reports byte offsets of UTF-8, which would have to be
  mapped back to character offsets for every non-ASCII text; its scan alone was not faster
  than this one by enough to pay for that and for a native dependency.

A digit chain consumes the dots inside it ("192.168.1.1", "12.03.2024"); those dots are added
back as host dots, so the URL finder sees exactly the anchors it saw when it scanned alone.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from scamtrail.extract.normalize import PHONE_SEPARATORS

_SEP_CLASS = re.escape(PHONE_SEPARATORS)
#: One pass for every kind. The first character decides the branch:
#: a digit or "+" starts a digit chain (the groups and separators of a written number), "@" is
#: an at-sign, a dot between two letters or digits (or inside "[.]", "(.)", "{.}") a host dot.
SCAN_RE = re.compile(
    rf"[0-9+@.\[({{]"
    rf"(?:(?<=[0-9])[0-9]*(?:[{_SEP_CLASS}]{{1,3}}[0-9]+)*"
    rf"|(?<=\+) ?[0-9]+(?:[{_SEP_CLASS}]{{1,3}}[0-9]+)*"
    rf"|(?<=@)"
    rf"|(?<=[A-Za-z0-9]\.)(?=[A-Za-z0-9])"
    rf"|(?<=\[)\.(?=\])|(?<=\()\.(?=\))|(?<=\{{)\.(?=\}})"
    rf")"
)
#: The host dots a digit chain may consume ("192.168.1.1", "98765(.)43210"). Starts with the
#: literal dot, so the engine skips from dot to dot; a "(.)" outside a chain is found twice.
_CHAIN_DOT_RE = re.compile(r"\.(?:(?<=[0-9]\.)(?=[0-9])|(?<=\(\.)(?=\)))")
_DOT_WORD_RE = re.compile(r"\[dot\]|\(dot\)", re.IGNORECASE | re.ASCII)
_SPAN = re.Match.span
_START = re.Match.start
_DIGITS = frozenset("0123456789+")


class Candidates(NamedTuple):
    """What one scan found: digit ``chains`` as ``(start, end)``, ``at_signs`` and host
    ``dots`` as offsets, all in text order."""

    chains: list[tuple[int, int]]
    at_signs: list[int]
    dots: list[int]


_EMPTY: Candidates = Candidates([], [], [])
#: Named tuples built per text through tuple.__new__: the class's own __new__ is Python code
#: (a call and a frame per record). Same object, same fields.
_new = tuple.__new__


def scan(folded: str) -> Candidates:
    """The candidates of every kind in ``folded`` (a text after ``fold_digits``)."""
    spans = list(map(_SPAN, SCAN_RE.finditer(folded)))
    if "." not in folded:
        if "@" not in folded and not _has_dot_word(folded):
            return _new(Candidates, (spans, [], []))  # every candidate is a digit chain
        return _classified(folded, spans, [])
    # Dots between two digits are inside the chains that consumed them ("192.168.1.1").
    return _classified(folded, spans, list(map(_START, _CHAIN_DOT_RE.finditer(folded))))


def _classified(folded: str, spans: list[tuple[int, int]], chain_dots: list[int]) -> Candidates:
    chains = [span for span in spans if folded[span[0]] in _DIGITS]
    at_signs: list[int] = []
    dots: list[int] = []
    if len(chains) != len(spans):
        for start, _ in spans:
            first = folded[start]
            if first == "@":
                at_signs.append(start)
            elif first == ".":
                dots.append(start)
            elif first not in _DIGITS:
                dots.append(start + 1)  # "[.]": the anchor is the dot
    if chain_dots:
        dots = sorted(set(dots).union(chain_dots))
    if _has_dot_word(folded):
        dots = _dot_words(folded, dots)
    return _new(Candidates, (chains, at_signs, dots))


def _has_dot_word(folded: str) -> bool:
    # "[dot]" and "(dot)" close with a bracket: most texts have neither, one search each.
    return ("]" in folded or ")" in folded) and (
        "dot" in folded or "DOT" in folded or "Dot" in folded
    )


def _dot_words(folded: str, dots: list[int]) -> list[int]:
    """Add the spelled-out dots ("[dot]", "(dot)"), anchored at their bracket."""
    dots = dots + [m.start() for m in _DOT_WORD_RE.finditer(folded)]
    dots.sort()
    return dots
