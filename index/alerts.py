"""Alert rules evaluated on registry updates.

The first rule is ``repeat``: a phone number or UPI ID named in a second distinct complaint, with
escalations at higher counts (5 and 10 by default). An alert's id is
``repeat:<kind>:<value>:<level>``, so the store's durable dedup by id gives one alert per
identifier per level across restarts and redeliveries. Rules fire on the *current* count (not on
the crossing), which keeps them correct when a batch is redelivered after a crash between the
store write and the alert write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scamtrail.index.base import RegistryUpdate

from scamtrail.records import Alert, Identifier


@dataclass(frozen=True, slots=True)
class RepeatRule:
    """Alert when an identifier of one of ``kinds`` reaches each count in ``levels``."""

    kinds: tuple[str, ...] = ("phone", "upi")
    levels: tuple[int, ...] = (2, 5, 10)
    name: str = "repeat"

    def evaluate(self, updates: Sequence[RegistryUpdate]) -> list[Alert]:
        """Alerts for every level each touched identifier has reached (dedup happens in the store)."""
        alerts = []
        for update in updates:
            entry = update.entry
            if entry.kind not in self.kinds:
                continue
            for level in self.levels:
                if entry.complaint_count < level:
                    break
                alerts.append(
                    Alert(
                        id=f"{self.name}:{entry.kind}:{entry.value}:{level}",
                        rule=self.name,
                        level=level,
                        identifier=Identifier(kind=entry.kind, value=entry.value),
                        complaint_ids=list(entry.complaint_ids),
                        categories=list(entry.categories),
                        complaint_count=entry.complaint_count,
                        message=(
                            f"{entry.kind} {entry.value} named in {entry.complaint_count} "
                            f"complaints (level {level}); categories: {', '.join(entry.categories)}"
                        ),
                    )
                )
        return alerts
