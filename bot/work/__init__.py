"""The worker tier: the clock decides what is due, workers on any machine do it.

Work travels through an RQ queue in Redis (`geese-bot worker` runs an RQ worker);
each job is a small, idempotent function named in `jobs.JOBS`, with plain-data
arguments (ids, never objects), so any process can run it and a test can call one
directly. The effects stay once-only because the work itself is claimed (a lease on
a reminder's slot, a claim on a 1-on-1 nudge, a lock on an outbox item), not because
a job runs once: a job may run twice (a worker killed mid-job, a clock that enqueues
again what is still due after its lease lapsed) and do nothing the second time.
"""
