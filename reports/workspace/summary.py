"""HR's home: the open campaigns with their response rates, the participation by department
of the one selected, who is due a reminder, the last import and the last release."""

from dataclasses import dataclass

from accounts.models import AuditEvent
from diagnostic.campaigns.mailing import due_reminders
from diagnostic.campaigns.participation import Participation, participation
from diagnostic.campaigns.status import campaigns_with_counts
from diagnostic.models import Campaign

from ..models import Release


@dataclass
class HRSummary:
    open_campaigns: list[Campaign]
    selected: Campaign | None
    participation: Participation | None
    due_reminders: int
    last_import: AuditEvent | None
    last_release: Release | None


def hr_summary(*, user, campaign_code: str | None = None) -> HRSummary:
    """A constant number of queries: campaigns with their counts in one, the participation
    of the selected one in three, and one each for reminders, import and release."""
    campaigns = list(campaigns_with_counts(user=user).open().order_by("closes_at", "code"))
    for campaign in campaigns:
        invited = campaign.invited
        campaign.response_pct = 100 * campaign.submitted / invited if invited else None
    chosen = [c for c in campaigns if c.code == campaign_code]
    selected = (chosen or campaigns or [None])[0]
    return HRSummary(
        open_campaigns=campaigns,
        selected=selected,
        participation=participation(campaign=selected) if selected else None,
        due_reminders=due_reminders().filter(campaign=selected).count() if selected else 0,
        last_import=AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).first(),
        last_release=Release.objects.visible_to(user).done().order_by("-made_at", "-pk").first(),
    )
