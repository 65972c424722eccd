"""Many briefings at once: a jobs file, made on Dask workers here or on a cluster."""

from briefing.batch.cluster import connect, default_workers
from briefing.batch.jobs import Job, JobsFile, load_jobs
from briefing.batch.run import JobResult, Snapshot, run_batch

__all__ = ["Job", "JobResult", "JobsFile", "Snapshot", "connect", "default_workers",
           "load_jobs", "run_batch"]
