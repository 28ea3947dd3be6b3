"""Every export and every download leaves a line in the audit log: who, when, what, how many
rows."""

from accounts.audit import record
from accounts.models import AuditEvent
from diagnostic.models import Campaign


def record_export(
    *,
    campaign: Campaign,
    what: str,
    rows: int,
    user=None,
    request=None,
    file_format: str = "csv",
    identified: bool = False,
    username: str = "",
    **detail,
) -> AuditEvent:
    return record(
        action=AuditEvent.Action.EXPORT,
        request=request,
        user=user,
        username=username,
        campaign=campaign.code,
        what=what,
        format=file_format,
        rows=rows,
        identified=identified,
        **detail,
    )
