package io.creatorflow.inventory.testkit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} that runs nothing by itself: tests run due tasks and move the
 * {@link MutableClock} with {@link #runDue()} and {@link #advance(Duration)}, so that every schedule,
 * backoff and rate limit is deterministic. Tasks run on the test's thread, in due-time order (ties in
 * submission order).
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final MutableClock clock;
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private long sequence;
  private boolean shutdown;
  private int ran;

  /** A scheduler on {@code clock}; nothing runs until the test calls {@link #runDue()} or {@link #advance}. */
  public ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  /** The clock this scheduler moves. */
  public MutableClock clock() {
    return clock;
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V> {
    long dueMillis;
    final long seq;
    final long periodMillis; // 0 one-shot, > 0 fixed rate, < 0 fixed delay

    Task(Callable<V> callable, long dueMillis, long periodMillis) {
      super(callable);
      this.dueMillis = dueMillis;
      this.seq = sequence++;
      this.periodMillis = periodMillis;
    }

    Task(Runnable runnable, long dueMillis, long periodMillis) {
      super(runnable, null);
      this.dueMillis = dueMillis;
      this.seq = sequence++;
      this.periodMillis = periodMillis;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueMillis - clock.millis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public int compareTo(Delayed o) {
      Task<?> other = (Task<?>) o;
      int c = Long.compare(dueMillis, other.dueMillis);
      return c != 0 ? c : Long.compare(seq, other.seq);
    }

    void runOnce() {
      if (periodMillis == 0) {
        run();
        return;
      }
      if (runAndReset()) {
        dueMillis = periodMillis > 0 ? dueMillis + periodMillis : clock.millis() - periodMillis;
        synchronized (ManualScheduler.this) {
          queue.add(this);
        }
      }
    }
  }

  private synchronized <V> Task<V> add(Task<V> task) {
    if (shutdown) {
      throw new RejectedExecutionException("the manual scheduler is shut down");
    }
    queue.add(task);
    return task;
  }

  /**
   * Runs every task due now (and tasks they make due now).
   *
   * @return how many tasks ran
   */
  public int runDue() {
    int count = 0;
    while (true) {
      Task<?> next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.dueMillis > clock.millis()) {
          return count;
        }
        queue.poll();
      }
      if (!next.isCancelled()) {
        next.runOnce();
        count++;
        ran++;
      }
    }
  }

  /** Moves the clock forward by {@code d}, running each task when its due time is reached. */
  public void advance(Duration d) {
    Instant target = clock.instant().plus(d);
    while (true) {
      runDue();
      Task<?> next;
      synchronized (this) {
        next = queue.peek();
      }
      if (next == null || next.dueMillis > target.toEpochMilli()) {
        break;
      }
      clock.set(Instant.ofEpochMilli(next.dueMillis));
    }
    clock.set(target);
    runDue();
  }

  /** Advances time until no one-shot task is pending, but never more than {@code limit}. */
  public void runUntilIdle(Duration limit) {
    Instant end = clock.instant().plus(limit);
    while (true) {
      runDue();
      Task<?> next;
      synchronized (this) {
        next = queue.stream().filter(t -> !t.isCancelled() && t.periodMillis == 0).min(Task::compareTo).orElse(null);
      }
      if (next == null || next.dueMillis > end.toEpochMilli()) {
        return;
      }
      advance(Duration.ofMillis(Math.max(0, next.dueMillis - clock.millis())));
    }
  }

  /** One-shot tasks waiting to run. */
  public synchronized int pendingOneShot() {
    return (int) queue.stream().filter(t -> !t.isCancelled() && t.periodMillis == 0).count();
  }

  /** Tasks run so far. */
  public synchronized int ran() {
    return ran;
  }

  /** The delays, in milliseconds from now, of the pending tasks, soonest first. */
  public synchronized List<Long> pendingDelays() {
    List<Long> out = new ArrayList<>();
    queue.stream().filter(t -> !t.isCancelled() && t.periodMillis == 0).sorted()
        .forEach(t -> out.add(t.dueMillis - clock.millis()));
    return out;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(new Task<>(command, clock.millis() + unit.toMillis(Math.max(0, delay)), 0));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(new Task<>(callable, clock.millis() + unit.toMillis(Math.max(0, delay)), 0));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    return add(new Task<>(command, clock.millis() + unit.toMillis(initialDelay), unit.toMillis(period)));
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return add(new Task<>(command, clock.millis() + unit.toMillis(initialDelay), -unit.toMillis(delay)));
  }

  @Override
  public void execute(Runnable command) {
    add(new Task<>(Executors.callable(command), clock.millis(), 0));
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> out = new ArrayList<>(queue);
    queue.clear();
    return out;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown && queue.isEmpty();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isTerminated();
  }
}
