package io.creatorflow.inventory.redis.internal;

import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Group commit for the Redis store: mutations of one tenant that wait while that tenant's scripts
 * are in flight are sent together, in one {@code EVALSHA}, by whichever caller thread is free to
 * lead. The script applies them one after the other, each with its own guards, ledger rows, order,
 * idempotency record and reply, so the outcome of each is exactly the one it would have alone; the
 * fixed cost of a call (round trip, script dispatch, encoding) is shared. Without contention every
 * caller leads a batch of one and nothing waits.
 *
 * <p>Per tenant (one tenant's keys are one Cluster slot) at most {@code maxConcurrentBatches}
 * batches are in flight at once, each of at most {@code maxBatchSize} mutations and {@code
 * maxBatchChanges} changes (a single larger mutation goes alone), taken in arrival order. Tenants
 * never wait for each other. A failed call (connection lost, timeout, server error) fails every
 * mutation in it with {@link StoreUnavailableException}; the script is atomic, so none of them is
 * half-applied.
 *
 * <p>No threads of its own and no lock held while talking to Redis. A leader's interrupt does not cut
 * short a call that carries other callers' mutations (it stays bounded by the command timeout); the
 * interrupt status is kept. Thread-safe.
 */
public final class GroupApply {
  /** Sends one batch (one tenant, in order) and returns one reply reader per mutation, in order. */
  @FunctionalInterface
  public interface Sender {
    List<Supplier<MutationResult>> send(List<Mutation> batch);
  }

  private final Sender sender;
  private final int maxBatchSize;
  private final int maxBatchChanges;
  private final int maxConcurrentBatches;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<TenantId, Lane> lanes = new HashMap<>();

  public GroupApply(Sender sender, int maxBatchSize, int maxBatchChanges, int maxConcurrentBatches) {
    this.sender = sender;
    this.maxBatchSize = maxBatchSize;
    this.maxBatchChanges = maxBatchChanges;
    this.maxConcurrentBatches = maxConcurrentBatches;
  }

  /** One tenant's queue and its batches in flight; exists while either is not empty. */
  private static final class Lane {
    final ArrayDeque<Request> queue = new ArrayDeque<>();
    int leaders;
  }

  /**
   * A waiting mutation. Its caller parks until it is done (its reply or error is set, then {@link
   * #done}) or may lead a batch ({@link #promoted}); a finished caller returns without taking the
   * lock again.
   */
  private static final class Request {
    final Mutation mutation;
    final Thread caller = Thread.currentThread();
    volatile boolean done;
    volatile boolean promoted;
    boolean shared;
    @Nullable Supplier<MutationResult> reply;
    @Nullable Throwable error;

    Request(Mutation mutation) {
      this.mutation = mutation;
    }
  }

  /** Applies a mutation, possibly in one call with others of its tenant; returns its own outcome. */
  public MutationResult apply(Mutation mutation) {
    if (maxBatchSize == 1) {
      return sender.send(List.of(mutation)).get(0).get();
    }
    TenantId tenant = mutation.tenant();
    Request request = new Request(mutation);
    lock.lock();
    try {
      Lane lane = lanes.get(tenant);
      if (lane == null) {
        lane = new Lane();
        lanes.put(tenant, lane);
      }
      lane.queue.addLast(request);
      while (!request.done) {
        if (lane.leaders < maxConcurrentBatches && !lane.queue.isEmpty()) {
          lane.leaders++;
          List<Request> batch = drain(lane.queue);
          promote(lane);
          lock.unlock();
          try {
            execute(batch);
          } finally {
            lock.lock();
            lane.leaders--;
            if (lane.leaders == 0 && lane.queue.isEmpty()) {
              lanes.remove(tenant);
            }
            promote(lane);
            for (Request r : batch) {
              r.done = true;
              if (r != request) {
                LockSupport.unpark(r.caller);
              }
            }
          }
        } else {
          lock.unlock();
          try {
            while (!request.done && !request.promoted) {
              LockSupport.park(this);
            }
          } finally {
            if (!request.done) {
              lock.lock();
            }
          }
          if (request.done) {
            return outcome(request);
          }
          request.promoted = false;
        }
      }
    } finally {
      if (lock.isHeldByCurrentThread()) {
        lock.unlock();
      }
    }
    return outcome(request);
  }

  /** Lets the oldest waiting caller of a lane lead a batch if one may start now. Holds the lock. */
  private void promote(Lane lane) {
    Request next = lane.queue.peekFirst();
    if (next != null && lane.leaders < maxConcurrentBatches && !next.promoted) {
      next.promoted = true;
      LockSupport.unpark(next.caller);
    }
  }

  private List<Request> drain(ArrayDeque<Request> queue) {
    List<Request> batch = new ArrayList<>(Math.min(queue.size(), maxBatchSize));
    int changes = 0;
    while (batch.size() < maxBatchSize && !queue.isEmpty()) {
      int size = Math.max(1, queue.peekFirst().mutation.changes().size());
      if (!batch.isEmpty() && changes + size > maxBatchChanges) {
        break;
      }
      changes += size;
      batch.add(queue.pollFirst());
    }
    return batch;
  }

  /** Sends a batch and records every request's reply or failure; never throws. */
  private void execute(List<Request> batch) {
    List<Mutation> mutations = new ArrayList<>(batch.size());
    for (Request r : batch) {
      mutations.add(r.mutation);
    }
    // A call that carries other callers' mutations is not cut short by this thread's interrupt.
    boolean interrupted = batch.size() > 1 && Thread.interrupted();
    try {
      List<Supplier<MutationResult>> replies = sender.send(mutations);
      if (replies.size() != batch.size()) {
        throw new IllegalStateException(replies.size() + " replies for a batch of " + batch.size());
      }
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).reply = replies.get(i);
      }
    } catch (RuntimeException | Error e) {
      for (Request r : batch) {
        r.error = e;
        r.shared = batch.size() > 1;
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static MutationResult outcome(Request request) {
    Throwable error = request.error;
    if (error != null) {
      // Every caller gets its own exception (with its own stack trace), with the original's cause.
      if (error instanceof StoreUnavailableException e) {
        throw new StoreUnavailableException(e.getMessage(), e.getCause() != null ? e.getCause() : e);
      }
      if (error instanceof Error e) {
        throw e;
      }
      if (!request.shared && error instanceof RuntimeException e) {
        throw e;
      }
      throw new StoreUnavailableException("applying a batch of mutations failed: " + error, error);
    }
    Supplier<MutationResult> reply = request.reply;
    if (reply == null) {
      throw new IllegalStateException("a completed mutation has neither a reply nor an error");
    }
    return reply.get();
  }

  /** Mutations waiting to be sent, over all tenants; for tests. */
  public int queued() {
    lock.lock();
    try {
      int queued = 0;
      for (Lane lane : lanes.values()) {
        queued += lane.queue.size();
      }
      return queued;
    } finally {
      lock.unlock();
    }
  }
}
