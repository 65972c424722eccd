"""`briefing batch`: every briefing of a jobs file, on this machine's cores or a Dask cluster."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from typing import Any

import click

from briefing.cli.options import CONTEXT, quiet, with_examples


@click.command(context_settings=CONTEXT,
               short_help="Make many briefings at once, here or on a Dask cluster.")
@click.argument("jobs_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--workers", type=click.IntRange(1, 1024), default=None,
              envvar="BRIEFING_WORKERS",
              help="Worker processes on this machine [default: one per core].")
@click.option("-s", "--scheduler", default=None, envvar="BRIEFING_SCHEDULER",
              help="A running Dask scheduler (tcp://host:8786) whose workers make the "
                   "episodes [default: the jobs file's scheduler, else this machine].")
@click.option("--local", is_flag=True,
              help="Use this machine's cores even when the jobs file or BRIEFING_SCHEDULER "
                   "names a cluster (a trial run).")
@click.option("--date", "date_", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Make this day's episodes instead of today's (back-fill).")
@click.option("-f", "--force", is_flag=True, help="Remake the day's episodes that exist.")
@click.option("--offline", is_flag=True, default=None, envvar="BRIEFING_OFFLINE",
              help="Never fetch: feed items' own text only.")
@click.option("-w", "--wait", is_flag=True, envvar="BRIEFING_WAIT",
              help="If another batch is running, wait for it instead of exiting.")
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
def batch(jobs_file: Path, workers: int | None, scheduler: str | None, local: bool,
          date_: Any, force: bool, offline: bool | None, wait: bool, as_json: bool) -> None:
    """Make every [[briefing]] in JOBS_FILE at once, with the `daily` rules per archive.

    Runs on Dask worker processes started on this machine, or on a running Dask cluster
    (--scheduler): workers need briefing[batch] installed, nothing else in common.

    \b
    Exit codes: 0 every job made (or already made, or nothing new);
                1 a job failed (one line each on stderr), or the batch could not start;
                2 usage; 130/143 interrupted: nothing half-made is left in an archive.
    """
    from briefing.batch import connect, load_jobs, run_batch

    if local and scheduler and _from_command_line("scheduler"):
        raise click.UsageError("--local runs on this machine and --scheduler on a cluster: "
                               "give one of them")
    jobs = load_jobs(jobs_file, overrides={"offline": True if offline else None})
    address = "" if local else scheduler or jobs.scheduler
    if workers and address:
        where = "--scheduler" if scheduler else f"{jobs_file}'s scheduler"
        raise click.UsageError(f"--workers counts this machine's workers, but {where} names a "
                               f"Dask cluster ({address}): start its workers with `dask worker`")
    is_quiet = quiet()
    with connect(address, workers) as client, closing(
            run_batch(jobs, client, date=date_.date() if date_ else None, force=force,
                      wait=wait)) as snapshots:
        last = _follow(snapshots, len(jobs.jobs), is_quiet)
    _report(last, as_json, is_quiet)
    if last.failed:
        sys.exit(1)



with_examples(
    batch,
    "briefing batch jobs.toml",
    "briefing batch jobs.toml --workers 2 --json > results.json",
    "briefing batch jobs.toml --scheduler tcp://10.0.0.5:8786",
    "briefing batch jobs.toml --local --workers 1   # a trial run here, whatever the file says",
)


def _from_command_line(param: str) -> bool:
    source = click.get_current_context().get_parameter_source(param)
    return source is click.core.ParameterSource.COMMANDLINE


def _follow(snapshots: Iterable[Any], total: int, is_quiet: bool) -> Any:
    """The last snapshot; a bar on stderr as they come (off with -q or when no terminal)."""
    last = None
    if is_quiet or not sys.stderr.isatty():
        for last in snapshots:  # noqa: B007
            pass
        return last
    with click.progressbar(length=total, label="Starting", file=sys.stderr, show_pos=True,
                           show_eta=False) as bar:
        shown = 0
        for last in snapshots:
            bar.label = (f"{last.done - last.failed} done, {last.failed} failed, "
                         f"{last.running} running, {last.per_minute:.1f}/min")
            bar.update(last.done - shown)
            shown = last.done
    return last


def _report(last: Any, as_json: bool, is_quiet: bool) -> None:
    results = sorted(last.results, key=lambda r: r.job.index)
    for r in results:
        if r.status == "failed":
            click.echo(f"{r.job.name}: {r.error}", err=True)
    if as_json:
        rows = [{
            "index": r.job.index, "title": r.job.config.title, "status": r.status,
            "output_dir": r.job.config.output_dir, "mp3": str(r.mp3) if r.mp3 else None,
            "duration_s": round(r.duration_ms / 1000, 3), "error": r.error or None,
            "seconds": round(r.seconds, 3), "cpu_seconds": round(r.cpu_seconds, 3),
            "worker": r.worker or None, "removed": list(r.removed), "skipped": r.skipped,
        } for r in results]
        click.echo(json.dumps({
            "jobs": last.total, "made": last.made, "failed": last.failed,
            "seconds": round(last.elapsed_s, 3),
            "episodes_per_minute": round(last.per_minute, 3), "results": rows,
        }, indent=2, ensure_ascii=False))
    else:
        for r in results:
            if r.mp3 is not None:
                click.echo(str(r.mp3))
    if not is_quiet:
        minutes, seconds = divmod(round(last.elapsed_s), 60)
        parts = [f"Made {last.made} of {last.total} episodes in {minutes}:{seconds:02d}"
                 + (f" ({last.per_minute:.1f} per minute)" if last.made else "")]
        for status, words in (("exists", "already made"), ("nothing-new", "with nothing new"),
                              ("failed", "failed")):
            n = sum(r.status == status for r in results)
            if n:
                parts.append(f"{n} {words}")
        click.echo("; ".join(parts) + ".", err=True)
