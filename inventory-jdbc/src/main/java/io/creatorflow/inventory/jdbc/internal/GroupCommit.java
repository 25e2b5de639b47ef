package io.creatorflow.inventory.jdbc.internal;

import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Group commit: mutations that arrive while the store is busy are applied together, in one
 * transaction with one commit, by whichever caller thread is free to lead. Under contention on a
 * hot SKU this turns N row-lock hand-overs and N commits into one of each; without contention every
 * caller leads its own batch of one and nothing waits.
 *
 * <p>At most {@code maxConcurrentBatches} batches run at once, each of at most {@code maxBatchSize}
 * mutations taken in arrival order. A batch in which a mutation would not apply (a replay, a
 * rejection) or that the database aborts is rolled back and every mutation in it is applied alone,
 * by its own caller thread, with the exact outcome. The combiner starts no threads and holds no
 * locks while talking to the database.
 *
 * <p>Correctness never depends on this class: every guarantee comes from the database (conditional
 * statements, row locks, unique keys), so several store instances may share one database.
 * Thread-safe.
 */
public final class GroupCommit {
  private final MutationWriter writer;
  private final int maxBatchSize;
  private final int maxConcurrentBatches;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition progress = lock.newCondition();
  private final ArrayDeque<Request> queue = new ArrayDeque<>();
  private int leaders;

  public GroupCommit(MutationWriter writer, int maxBatchSize, int maxConcurrentBatches) {
    this.writer = writer;
    this.maxBatchSize = maxBatchSize;
    this.maxConcurrentBatches = maxConcurrentBatches;
  }

  private enum State {
    QUEUED,
    DONE,
    RUN_ALONE
  }

  private static final class Request {
    final Mutation mutation;
    State state = State.QUEUED;
    @Nullable MutationResult result;
    @Nullable RuntimeException error;
    boolean alone;

    Request(Mutation mutation) {
      this.mutation = mutation;
    }
  }

  /** Applies a mutation, possibly together with others; returns its own outcome. */
  public MutationResult apply(Mutation mutation) {
    if (maxBatchSize == 1) {
      return writer.apply(mutation);
    }
    Request request = new Request(mutation);
    lock.lock();
    try {
      queue.addLast(request);
      while (request.state == State.QUEUED) {
        if (leaders < maxConcurrentBatches && !queue.isEmpty()) {
          leaders++;
          List<Request> batch = drain();
          lock.unlock();
          try {
            execute(batch);
          } finally {
            lock.lock();
            leaders--;
            for (Request r : batch) {
              r.state = r.alone ? State.RUN_ALONE : State.DONE;
            }
            progress.signalAll();
          }
        } else {
          progress.awaitUninterruptibly();
        }
      }
    } finally {
      lock.unlock();
    }
    if (request.state == State.RUN_ALONE) {
      return writer.apply(mutation);
    }
    if (request.error != null) {
      throw request.error;
    }
    if (request.result == null) {
      throw new IllegalStateException("a completed mutation has neither a result nor an error");
    }
    return request.result;
  }

  private List<Request> drain() {
    List<Request> batch = new ArrayList<>(Math.min(queue.size(), maxBatchSize));
    while (batch.size() < maxBatchSize && !queue.isEmpty()) {
      batch.add(queue.pollFirst());
    }
    return batch;
  }

  /** Runs a batch and records every request's outcome; never throws. */
  private void execute(List<Request> batch) {
    if (batch.size() == 1) {
      Request request = batch.get(0);
      try {
        request.result = writer.apply(request.mutation);
      } catch (RuntimeException e) {
        request.error = e;
      }
      return;
    }
    List<MutationResult> results;
    try {
      results = writer.applyAll(batch.stream().map(r -> r.mutation).toList());
    } catch (CommitFailedException e) {
      for (Request r : batch) {
        r.error = new CommitFailedException(e.getMessage(), e);
      }
      return;
    } catch (StoreUnavailableException e) {
      for (Request r : batch) {
        r.error = new StoreUnavailableException(e.getMessage(), e);
      }
      return;
    } catch (RuntimeException e) {
      // Not the database: something about one of the mutations. Each caller finds out alone.
      results = null;
    }
    for (int i = 0; i < batch.size(); i++) {
      if (results == null) {
        batch.get(i).alone = true;
      } else {
        batch.get(i).result = results.get(i);
      }
    }
  }
}
