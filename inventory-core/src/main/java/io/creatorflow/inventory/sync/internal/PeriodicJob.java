package io.creatorflow.inventory.sync.internal;

import io.creatorflow.inventory.spi.LeaseStore;
import io.creatorflow.inventory.sync.SyncStats.JobStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A periodic job on the host's executor with two guards:
 *
 * <ul>
 *   <li><b>overlap</b>: a tick while the previous run (or an on-demand run) is still going is skipped;
 *   <li><b>lease</b>: a tick runs only if this instance holds, or can take, the job's lease in the
 *       shared {@link LeaseStore}, so one of several instances sharing a store runs it. The lease lasts
 *       {@code ttl} (twice the interval, at least a minute) and is renewed on every tick and while a run
 *       goes on ({@link #stillLeader()}); a run that loses it stops. It is released on {@link #stop()}.
 * </ul>
 *
 * Thread-safe.
 */
public final class PeriodicJob {
  private static final Logger log = LoggerFactory.getLogger(PeriodicJob.class);

  private final String name;
  private final String lease;
  private final String owner;
  private final Duration interval;
  private final Duration initialDelay;
  private final Duration ttl;
  private final LeaseStore leases;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final BooleanSupplier busy;
  private final Function<BooleanSupplier, CompletableFuture<?>> body;
  private final AtomicLong runs = new AtomicLong();
  private final AtomicLong skippedNotLeader = new AtomicLong();
  private final AtomicLong skippedOverlap = new AtomicLong();
  private volatile @Nullable Instant lastRunAt;
  private volatile boolean stopped;
  private volatile boolean everLeader;
  private @Nullable ScheduledFuture<?> schedule;

  /**
   * @param busy whether a run is going on (periodic or on demand)
   * @param body starts a run; it is given {@link #stillLeader()} to ask between steps
   */
  public PeriodicJob(
      String name, String lease, String owner, Duration interval, Duration initialDelay, LeaseStore leases,
      ScheduledExecutorService executor, Clock clock, BooleanSupplier busy,
      Function<BooleanSupplier, CompletableFuture<?>> body) {
    this.name = name;
    this.lease = lease;
    this.owner = owner;
    this.interval = interval;
    this.initialDelay = initialDelay;
    Duration twice = interval.multipliedBy(2);
    this.ttl = twice.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : twice;
    this.leases = leases;
    this.executor = executor;
    this.clock = clock;
    this.busy = busy;
    this.body = body;
  }

  public synchronized void start() {
    schedule = executor.scheduleWithFixedDelay(this::tick, initialDelay.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** One tick: runs the job if no run is going on and this instance holds the lease. */
  public void tick() {
    try {
      if (stopped) {
        return;
      }
      if (busy.getAsBoolean()) {
        skippedOverlap.incrementAndGet();
        log.debug("{}: the previous run is still going; skipping this tick", name);
        return;
      }
      if (!acquire()) {
        skippedNotLeader.incrementAndGet();
        return;
      }
      runs.incrementAndGet();
      lastRunAt = clock.instant();
      body.apply(this::stillLeader);
    } catch (RejectedExecutionException e) {
      log.warn("{}: the host executor refused the run: {}", name, e.toString());
    } catch (RuntimeException e) {
      log.error("{}: the run failed to start", name, e);
    }
  }

  private boolean acquire() {
    try {
      boolean held = leases.tryAcquire(lease, owner, clock.instant(), ttl);
      if (held) {
        everLeader = true;
      }
      return held;
    } catch (RuntimeException e) {
      log.warn("{}: could not take lease '{}': {}", name, lease, e.toString());
      return false;
    }
  }

  /** Renews the lease; {@code false} once stopped or if another instance took it. */
  public boolean stillLeader() {
    return !stopped && acquire();
  }

  /** Stops ticking and gives the lease up. */
  public void stop() {
    stopped = true;
    synchronized (this) {
      if (schedule != null) {
        schedule.cancel(false);
        schedule = null;
      }
    }
    if (everLeader) {
      try {
        leases.release(lease, owner);
      } catch (RuntimeException e) {
        log.warn("{}: could not release lease '{}'; it expires by itself: {}", name, lease, e.toString());
      }
    }
  }

  public String lease() {
    return lease;
  }

  public Duration interval() {
    return interval;
  }

  public JobStats stats() {
    return new JobStats(runs.get(), skippedNotLeader.get(), skippedOverlap.get(), lastRunAt);
  }
}
