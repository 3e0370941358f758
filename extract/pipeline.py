"""The extract stage: Complaint in, Enriched out. Pure: no bus, no store.

:class:`ComplaintExtractor` classifies a batch of complaints with the trained textcat (the
whole batch scored at once) and pulls identifiers and entities out of the texts, one step at a
time over the batch (:meth:`scamtrail.extract.identifiers.IdentifierExtractor.extract_batch`). A record whose
text cannot be processed raises :class:`scamtrail.errors.ExtractError` for that record alone; the
caller sends it to the dead-letter topic and carries on with the rest of the batch.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scamtrail.extract.classifier import ComplaintClassifier
from scamtrail.extract.construct import enriched
from scamtrail.extract.identifiers import Extracted, IdentifierExtractor

from scamtrail.errors import ExtractError
from scamtrail.records import Complaint, Enriched


@dataclass(frozen=True, slots=True)
class ExtractFailure:
    """A complaint the stage could not enrich, and why."""

    complaint: Complaint
    error: ExtractError


class ComplaintExtractor:
    """Classifies complaints and extracts their identifiers. ``name`` appears in logs/metrics."""

    name = "extract"

    def __init__(
        self,
        model_path: str | Path | None = None,
        region: str = "IN",
        batch_size: int = 256,
        review_below: float | None = None,
    ) -> None:
        self.classifier = ComplaintClassifier(model_path, batch_size=batch_size)
        # a record whose calibrated top score is below this needs_review (default: the model's)
        self.review_below = self.classifier.review_below if review_below is None else review_below
        self.identifiers = IdentifierExtractor(region=region)
        self.model_name = self.classifier.model_name

    def enrich(
        self, complaints: Sequence[Complaint]
    ) -> tuple[list[Enriched], list[ExtractFailure]]:
        """Enrich a batch; return the enriched records (in order) and the failures."""
        # The batch allocates tens of thousands of small objects and frees none of them in a
        # cycle: the cyclic collector's passes over them (and over everything the process
        # holds) cost 10-25% of the stage. It is paused for the batch and collects afterwards
        # as usual; reference counting still frees everything as it goes.
        collecting = gc.isenabled()
        if collecting:
            gc.disable()
        try:
            scores = self.classifier.scores([c.text for c in complaints])
            extracted = self.identifiers.extract_batch([c.text for c in complaints])
            out: list[Enriched] = []
            failures: list[ExtractFailure] = []
            for complaint, score, found in zip(complaints, scores, extracted, strict=True):
                if isinstance(found, Exception):
                    failures.append(self._failure(complaint, found))
                    continue
                try:
                    out.append(self._one(complaint, score, found))
                except (ValueError, TypeError, IndexError) as exc:
                    failures.append(self._failure(complaint, exc))
        finally:
            if collecting:
                gc.enable()
        return out, failures

    @staticmethod
    def _failure(complaint: Complaint, exc: Exception) -> ExtractFailure:
        return ExtractFailure(
            complaint, ExtractError("extract_failed", f"{type(exc).__name__}: {exc}")
        )

    def _one(self, complaint: Complaint, score: dict[str, float], found: Extracted) -> Enriched:
        # Ties (e.g. an empty text's uniform scores) resolve to "other", then "bank_fraud".
        category, best = "other", score.get("other", 0.0)
        if score.get("bank_fraud", 0.0) > best:
            category, best = "bank_fraud", score["bank_fraud"]
        if score.get("traffic", 0.0) > best:
            category = "traffic"
        data = dict(complaint.__dict__)
        data["category"] = category
        data["scores"] = score
        data["needs_review"] = score.get(category, 0.0) < self.review_below
        data["identifiers"], data["entities"] = found
        data["model"] = self.model_name
        # The complaint's fields were validated when it was built, and the added ones are built
        # here with their declared types: validating the whole record again (both timestamps
        # re-parsed) costs a tenth of the stage. tests/extract/test_pipeline.py checks that the
        # result equals Enriched.from_complaint.
        return enriched(data)
