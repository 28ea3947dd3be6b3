"""What the quality page shows: the stored snapshot with names in the reader's language, the
flags spelled out, and the calibration chart."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from diagnostic.models import Area, Campaign, Competency

from ..charts import calibration_chart
from ..models import QualitySnapshot
from . import measures
from .snapshots import KNOWLEDGE_SCOPE, MIN_RESPONSES

FLAG_LABELS = {
    measures.TOO_HARD: _("very hard (difficulty under 0.20)"),
    measures.TOO_EASY: _("very easy (difficulty over 0.90)"),
    measures.LOW_DISCRIMINATION: _("discriminates little (under 0.20)"),
    measures.CHECK_KEY: _("negative discrimination: check the key"),
    measures.RARE_OPTION: _("an option chosen by fewer than 1 in 20"),
}


@dataclass
class QualityPage:
    campaign: Campaign
    snapshot: QualitySnapshot | None
    pending: QualitySnapshot | None
    minimum: int = MIN_RESPONSES
    floor: float = measures.RELIABILITY_FLOOR
    reliability: list[dict] = field(default_factory=list)
    items: list[dict] = field(default_factory=list)
    calibration: list[dict] = field(default_factory=list)
    chart: dict | None = None
    care: dict = field(default_factory=dict)

    @property
    def enough(self) -> bool:
        return self.snapshot is not None and self.snapshot.responses >= MIN_RESPONSES

    @property
    def flagged(self) -> int:
        return sum(1 for item in self.items if item["flags"])


def quality_page(*, campaign: Campaign) -> QualityPage:
    """The latest computed snapshot of `campaign` (and one still being computed, if any), in
    four queries whatever the size of the campaign."""
    snapshots = QualitySnapshot.objects.filter(campaign=campaign)
    snapshot = snapshots.latest_done(campaign)
    pending = (
        snapshots.filter(
            status__in=[QualitySnapshot.Status.PENDING, QualitySnapshot.Status.RUNNING]
        )
        .order_by("-pk")
        .first()
    )
    page = QualityPage(campaign=campaign, snapshot=snapshot, pending=pending)
    if not page.enough:
        return page
    data = snapshot.data
    areas = dict(
        Area.objects.filter(framework_id=campaign.framework_id).values_list("code", "name")
    )
    competencies = dict(
        Competency.objects.filter(framework_id=campaign.framework_id).values_list("code", "name")
    )
    for row in data["reliability"]:
        name = _("Knowledge checks (KR-20)") if row["scope"] == KNOWLEDGE_SCOPE else None
        below = row["alpha"] is not None and row["alpha"] < measures.RELIABILITY_FLOOR
        page.reliability.append(
            {**row, "name": name or areas.get(row["scope"], row["scope"]), "below": below}
        )
    for item in data["items"]:
        labels = [FLAG_LABELS[flag] for flag in item["flags"]]
        page.items.append(
            {**item, "competency": competencies.get(item["competency_code"]), "labels": labels}
        )
    for row in data["calibration"]["competencies"]:
        page.calibration.append({**row, "name": competencies.get(row["competency_code"])})
    page.chart = calibration_chart(data["calibration"]) if data["calibration"]["cells"] else None
    page.care = data["care"]
    return page
