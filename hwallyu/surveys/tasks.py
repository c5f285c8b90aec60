"""Background work of the survey: register imports and the periodic sweep."""

from __future__ import annotations

from django_tasks import task


@task()
def run_register_import(import_id: int) -> str:
    from hwallyu.surveys import importer

    return importer.run(import_id).status


@task()
def survey_sweep() -> dict[str, int]:
    """Rerun-safe: reminders (compare-and-set on ``reminded_at``), answer flush, stalled imports."""
    from hwallyu.surveys import services

    reminded = sum(services.reminders_send(survey=s) for s in services.open_surveys())
    flushed = services.answers_flush()
    resumed = services.resume_stalled_imports()
    return {"reminded": reminded, "flushed": flushed, "resumed": resumed}
