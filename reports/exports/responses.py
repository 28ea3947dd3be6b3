"""The HTTP answer to an export or a package download: recorded in the audit log first, then
streamed. Views call these; what may be exported is decided before, by the view's queryset."""

import io
import tempfile

from django.http import FileResponse, HttpRequest, StreamingHttpResponse

from diagnostic.models import Campaign

from ..models import ExportJob
from .campaign import Exporter
from .recording import record_export
from .writers import csv_chunks, csv_head, write_json, write_xlsx

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json; charset=utf-8",
}


def export_response(
    *,
    request: HttpRequest,
    campaign: Campaign,
    exporter: Exporter,
    file_format: str,
    rows: list | None = None,
) -> StreamingHttpResponse | FileResponse:
    """Record the export, then stream the file: CSV row by row, XLSX and JSON from a temporary
    file. `rows` already read are written as they are; otherwise the exporter is counted (one
    COUNT) and read as the file is written."""
    record_export(
        campaign=campaign,
        what=exporter.name,
        rows=exporter.count() if rows is None else len(rows),
        user=request.user,
        request=request,
        file_format=file_format,
        identified=exporter.identified,
    )
    filename = f"{campaign.code}-{exporter.name}.{file_format}"
    if file_format == "csv":
        chunks = batch_chunks(exporter) if rows is None else csv_chunks(exporter.headers, rows)
        response = StreamingHttpResponse(chunks, content_type=FORMATS["csv"])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    rows = exporter.rows() if rows is None else rows
    stream = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    if file_format == "xlsx":
        write_xlsx(exporter.headers, rows, stream, title=exporter.name)
    else:
        text = io.TextIOWrapper(stream, encoding="utf-8")
        write_json(exporter.headers, rows, text)
        text.flush()
        text.detach()
    stream.seek(0)
    return FileResponse(
        stream, as_attachment=True, filename=filename, content_type=FORMATS[file_format]
    )


def batch_chunks(exporter: Exporter):
    """The CSV file in chunks from the exporter's fast path (`csv_batches()`)."""
    yield csv_head(exporter.headers)
    for text, _ in exporter.csv_batches():
        yield text


def package_response(*, request: HttpRequest, job: ExportJob) -> FileResponse:
    """A built data package, as a download recorded in the audit log (each download once)."""
    stream = job.file.open("rb")
    record_export(
        campaign=job.campaign,
        what=f"{job.export_name}-download",
        rows=job.rows,
        user=request.user,
        request=request,
        file_format="zip",
        identified=job.identified,
        job=job.pk,
    )
    return FileResponse(stream, as_attachment=True, filename=job.file.name.split("/")[-1])
