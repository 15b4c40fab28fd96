"""The worker tier's machinery: the clock (bot/clock.py) decides what is due, workers on
any machine do it (bot/jobs.py names what they may run).

queue     hands work to workers (RQ in Redis, or inline in one process)
runner    what RQ runs in a worker: a batch of jobs on the worker's threads
leader    one clock leads at a time (a lease in Redis)
schedule  when a daily reminder fires, in a timezone, across DST changes (pure)
pausing   a person's pause: no personal nudges before a date

Each job is a small, idempotent function with plain-data arguments (ids, never
objects), so any process can run it and a test can call one directly. The effects
stay once-only because the work itself is claimed (a lease on a reminder's slot, a
claim on a 1-on-1 nudge, a lock on an outbox item), not because a job runs once: a job
may run twice (a worker killed mid-job, a clock that enqueues again what is still due
after its lease lapsed) and do nothing the second time.
"""
