"""The CDC loop on Spark: read the typed events after the committed position, aggregate them,
enrich them with company ids, and commit the deltas and the new position in one warehouse
transaction — the same batch, step for step, as Sources/ETL/ETLPipeline.swift.

A crash anywhere leaves the warehouse at the previous commit, and the next run starts again from
its position. Only the holder of the lake's lease may commit.
"""

import logging
import os
import random
import socket
import time
from dataclasses import dataclass

from . import aggregate as batch_aggregate
from .lake import LakeError
from .warehouse import BatchCommit, LakeMismatch, LeaseHeld, now_ms

log = logging.getLogger("jobpulse.spark")

FIRST_BACKOFF_S = 0.25
MAX_BACKOFF_S = 30.0
# Longest single wait for another owner's lease, so that a stop request is noticed.
LEASE_POLL_S = 5.0


class StopRequested(Exception):
    """SIGTERM or SIGINT arrived while the loop was waiting."""


def default_owner():
    """This ETL's name in the lease: `spark:<host>:<pid>:<random>`."""
    return f"spark:{socket.gethostname()}:{os.getpid()}:{random.getrandbits(32):08x}"


@dataclass(frozen=True)
class BatchReport:
    position: str
    funnel: int
    other: int
    grains: int
    milliseconds: int
    lag_events: int

    @property
    def events(self):
        return self.funnel + self.other


@dataclass
class RunReport:
    batches: int = 0
    funnel: int = 0
    other: int = 0
    grains: int = 0
    position: str | None = None

    def add(self, batch):
        self.batches += 1
        self.funnel += batch.funnel
        self.other += batch.other
        self.grains += batch.grains
        self.position = batch.position

    @property
    def events(self):
        return self.funnel + self.other


class Pipeline:
    def __init__(self, lake, warehouse, settings, owner, checkpoint, stop):
        self.lake = lake
        self.warehouse = warehouse
        self.settings = settings
        self.owner = owner
        self.checkpoint = checkpoint
        self.stop = stop  # a threading.Event set by SIGTERM / SIGINT

    def run_batch(self):
        """Runs one batch; None when there was nothing new."""
        started = time.monotonic()
        identity = self.lake.identity()
        state = self._lease(identity)
        plan = self.lake.plan(state.position, self.settings.batch_size)
        if plan is None:
            return None
        self.checkpoint("read")

        result = batch_aggregate.aggregate(self.lake.read(plan))
        if result.events != plan.events:
            raise RuntimeError(f"read {result.events} events in {plan.where}, expected {plan.events}")
        self.checkpoint("aggregated")

        companies = self.warehouse.company_ids({grain.job_id for grain in result.deltas})
        deltas = {grain: (metrics, companies.get(grain.job_id)) for grain, metrics in result.deltas.items()}
        self.checkpoint("enriched")

        commit = BatchCommit(
            source=self.lake.kind, owner=self.owner, start=state.position, end=result.last_position, deltas=deltas,
            funnel=result.funnel, other=result.other, newest_event_ms=result.newest_event_ms,
            elapsed_ms=_elapsed_ms(started), unusable=result.unusable, last_unusable=result.last_unusable_position,
        )
        self.warehouse.commit(commit, self.checkpoint)
        self.checkpoint("committed")

        report = BatchReport(position=result.last_position, funnel=result.funnel, other=result.other, grains=len(deltas),
                             milliseconds=_elapsed_ms(started), lag_events=self.lake.count_after(result.last_position))
        log.info("batch committed: events=%d funnel=%d other=%d grains=%d ms=%d lag_events=%d position=%s",
                 report.events, report.funnel, report.other, report.grains, report.milliseconds,
                 report.lag_events, report.position)
        return report

    def _lease(self, identity):
        """The lease, waiting while another ETL holds it."""
        ttl_ms = int(self.settings.lease_ttl * 1000)
        while True:
            try:
                return self.warehouse.acquire_lease(self.lake.kind, identity, self.owner, ttl_ms)
            except LeaseHeld as held:
                wait = min(max(0.1, (held.expires_at_ms - now_ms()) / 1000 + 0.05), LEASE_POLL_S)
                log.warning("%s; another ETL writes for this lake, retrying in %.1f s", held, wait)
                self._sleep(wait)

    def _sleep(self, seconds):
        if self.stop.wait(seconds):
            raise StopRequested()

    def run_until_caught_up(self):
        """Runs batches until the lake holds nothing after the committed position (or a stop
        request), then releases the lease."""
        run = RunReport()
        try:
            while not self.stop.is_set():
                batch = self.run_batch()
                if batch is None:
                    break
                run.add(batch)
                if batch.lag_events == 0:
                    break
        except StopRequested:
            pass
        finally:
            self._release()
        return run

    def run_forever(self):
        """Runs until a stop request: a batch whenever there is something new, at most every
        --interval once caught up. Failures are logged and retried with backoff; the batch under
        way always finishes before the loop ends, and the lease is released."""
        backoff = FIRST_BACKOFF_S
        try:
            while not self.stop.is_set():
                started = time.monotonic()
                try:
                    batch = self.run_batch()
                    backoff = FIRST_BACKOFF_S
                except StopRequested:
                    break
                except Exception as error:  # a failed batch rolled back; report it and retry
                    if _is_fatal(error):
                        raise
                    log.error("batch failed, retrying in %.2f s: %s", backoff, error)
                    self.warehouse.reset()
                    self.stop.wait(backoff)
                    backoff = min(backoff * 2, MAX_BACKOFF_S)
                    continue
                if batch is None or batch.lag_events == 0:
                    self.stop.wait(max(0.0, started + self.settings.interval - time.monotonic()))
        finally:
            self._release()

    def _release(self):
        try:
            self.warehouse.release_lease(self.lake.kind, self.owner)
            log.info("lease on the %s lake released", self.lake.kind)
        except Exception as error:  # the lease expires by itself; say so and go on exiting
            log.warning("could not release the lease (it expires after %s s): %s", self.settings.lease_ttl, error)


def _is_fatal(error):
    """Errors that retrying cannot fix."""
    return isinstance(error, (LakeMismatch, LakeError))


def _elapsed_ms(started):
    return int((time.monotonic() - started) * 1000)
