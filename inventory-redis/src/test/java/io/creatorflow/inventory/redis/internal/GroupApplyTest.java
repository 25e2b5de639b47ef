package io.creatorflow.inventory.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.AlertRule;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The leader/follower combiner without Redis: a sender that records the batches it is given and
 * can be held, so that the tests decide who waits behind whom (no timing assumptions: the tests wait
 * for queue states, never for a duration).
 */
class GroupApplyTest {
  static final TenantId A = TenantId.of("a");
  static final TenantId B = TenantId.of("b");

  final List<List<Mutation>> batches = new CopyOnWriteArrayList<>();
  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch firstCallStarted = new CountDownLatch(1);
  final List<CompletableFuture<MutationResult>> calls = new ArrayList<>();
  volatile RuntimeException failure;
  volatile boolean holdTenantAOnly;

  @AfterEach
  void releaseAll() {
    release.countDown();
  }

  static Mutation mutation(TenantId tenant, int changes, String tag) {
    List<LineChange> lines = new ArrayList<>();
    for (int i = 0; i < changes; i++) {
      lines.add(new LineChange(Sku.of(tag + "-" + i), MovementType.IN, 1, 1, 0, null, tag, null, null));
    }
    return new Mutation(tenant, Instant.EPOCH, null, lines, null, new AlertRule(0, 0));
  }

  static String tag(Mutation m) {
    return m.changes().get(0).reason();
  }

  /** Replies with a rejection naming the mutation's tag, so each caller can check it got its own. */
  List<Supplier<MutationResult>> send(List<Mutation> batch) {
    batches.add(List.copyOf(batch));
    if (batches.size() == 1 && (!holdTenantAOnly || batch.get(0).tenant().equals(A))) {
      firstCallStarted.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    RuntimeException f = failure;
    if (f != null && batches.size() > 1) {
      throw f;
    }
    List<Supplier<MutationResult>> replies = new ArrayList<>();
    for (Mutation m : batch) {
      replies.add(() -> new MutationResult.Rejected(MutationResult.Rejection.UNKNOWN_SKU, Sku.of(tag(m)), null, null));
    }
    return replies;
  }

  CompletableFuture<MutationResult> call(GroupApply group, Mutation m) {
    CompletableFuture<MutationResult> f = CompletableFuture.supplyAsync(() -> group.apply(m), command -> {
      Thread t = new Thread(command);
      t.setDaemon(true);
      t.start();
    });
    calls.add(f);
    return f;
  }

  static void awaitQueued(GroupApply group, int queued) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (group.queued() != queued) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("queue never reached " + queued + ", is " + group.queued());
      }
      Thread.sleep(1);
    }
  }

  static Sku skuOf(MutationResult r) {
    return ((MutationResult.Rejected) r).sku();
  }

  @Test
  @DisplayName("callers that wait behind a batch in flight go together in the next one, each with its own reply")
  void combinesWaitingCallers() throws Exception {
    GroupApply group = new GroupApply(this::send, 64, 512, 1);
    CompletableFuture<MutationResult> leader = call(group, mutation(A, 1, "m0"));
    assertThat(firstCallStarted.await(30, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<MutationResult>> followers = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      followers.add(call(group, mutation(A, 1, "m" + i)));
    }
    awaitQueued(group, 5);

    release.countDown();

    assertThat(skuOf(leader.get(30, TimeUnit.SECONDS))).isEqualTo(Sku.of("m0"));
    for (int i = 1; i <= 5; i++) {
      assertThat(skuOf(followers.get(i - 1).get(30, TimeUnit.SECONDS))).isEqualTo(Sku.of("m" + i));
    }
    assertThat(batches).hasSize(2);
    assertThat(batches.get(1)).hasSize(5);
    assertThat(group.queued()).isZero();
  }

  @Test
  @DisplayName("batches stop at the size and change limits; a larger single mutation goes alone")
  void boundsBatches() throws Exception {
    GroupApply group = new GroupApply(this::send, 3, 4, 1);
    call(group, mutation(A, 1, "m0"));
    assertThat(firstCallStarted.await(30, TimeUnit.SECONDS)).isTrue();
    call(group, mutation(A, 1, "m1"));
    awaitQueued(group, 1);
    call(group, mutation(A, 1, "m2"));
    awaitQueued(group, 2);
    call(group, mutation(A, 1, "m3"));
    awaitQueued(group, 3);
    call(group, mutation(A, 1, "m4"));
    awaitQueued(group, 4);
    call(group, mutation(A, 6, "big"));
    awaitQueued(group, 5);
    call(group, mutation(A, 2, "m5"));
    awaitQueued(group, 6);

    release.countDown();
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

    List<List<String>> tags = batches.stream().map(b -> b.stream().map(GroupApplyTest::tag).toList()).toList();
    assertThat(tags).containsExactly(List.of("m0"), List.of("m1", "m2", "m3"), List.of("m4"), List.of("big"), List.of("m5"));
  }

  @Test
  @DisplayName("a failed call fails every mutation in it, each caller with its own StoreUnavailableException")
  void failureFailsTheWholeBatch() throws Exception {
    GroupApply group = new GroupApply(this::send, 64, 512, 1);
    RuntimeException cause = new IllegalStateException("connection reset");
    failure = new StoreUnavailableException("EVALSHA apply.lua failed: connection reset", cause);
    CompletableFuture<MutationResult> leader = call(group, mutation(A, 1, "m0"));
    assertThat(firstCallStarted.await(30, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<MutationResult> f1 = call(group, mutation(A, 1, "m1"));
    CompletableFuture<MutationResult> f2 = call(group, mutation(A, 1, "m2"));
    awaitQueued(group, 2);

    release.countDown();

    assertThat(skuOf(leader.get(30, TimeUnit.SECONDS))).isEqualTo(Sku.of("m0"));
    Throwable e1 = failureOf(f1);
    Throwable e2 = failureOf(f2);
    assertThat(e1).isInstanceOf(StoreUnavailableException.class).hasMessageContaining("connection reset").hasCause(cause);
    assertThat(e2).isInstanceOf(StoreUnavailableException.class).hasCause(cause);
    assertThat(e1).isNotSameAs(e2);
    assertThat(batches).hasSize(2);
  }

  @Test
  @DisplayName("a failure of a call of one mutation reaches its caller unchanged")
  void failureOfASingleCall() {
    RuntimeException bad = new IllegalArgumentException("bad mutation");
    GroupApply group = new GroupApply(batch -> {
      throw bad;
    }, 64, 512, 2);
    assertThatThrownBy(() -> group.apply(mutation(A, 1, "m0"))).isSameAs(bad);
    GroupApply unbatched = new GroupApply(batch -> {
      throw bad;
    }, 1, 512, 2);
    assertThatThrownBy(() -> unbatched.apply(mutation(A, 1, "m0"))).isSameAs(bad);
  }

  @Test
  @DisplayName("tenants never wait for each other")
  void tenantsAreIndependent() throws Exception {
    holdTenantAOnly = true;
    GroupApply group = new GroupApply(this::send, 64, 512, 1);
    CompletableFuture<MutationResult> a = call(group, mutation(A, 1, "a0"));
    assertThat(firstCallStarted.await(30, TimeUnit.SECONDS)).isTrue();

    // Tenant A's only batch slot is taken and held; tenant B goes through.
    assertThat(skuOf(call(group, mutation(B, 1, "b0")).get(30, TimeUnit.SECONDS))).isEqualTo(Sku.of("b0"));
    assertThat(a).isNotDone();

    release.countDown();
    assertThat(skuOf(a.get(30, TimeUnit.SECONDS))).isEqualTo(Sku.of("a0"));
  }

  @Test
  @DisplayName("a leader's interrupt does not cut short a call that carries other callers' mutations")
  void leaderInterruptKept() throws Exception {
    List<Boolean> interruptedDuringSend = new CopyOnWriteArrayList<>();
    GroupApply group = new GroupApply(batch -> {
      interruptedDuringSend.add(Thread.currentThread().isInterrupted());
      return send(batch);
    }, 64, 512, 1);
    call(group, mutation(A, 1, "m0"));
    assertThat(firstCallStarted.await(30, TimeUnit.SECONDS)).isTrue();
    // Two followers queue; the first of them to lead the next batch is interrupted while it waits.
    CompletableFuture<Boolean> interruptedLeader = new CompletableFuture<>();
    Thread follower = new Thread(() -> {
      try {
        group.apply(mutation(A, 1, "m1"));
        interruptedLeader.complete(Thread.currentThread().isInterrupted());
      } catch (RuntimeException e) {
        interruptedLeader.completeExceptionally(e);
      }
    });
    follower.setDaemon(true);
    follower.start();
    awaitQueued(group, 1);
    follower.interrupt();
    CompletableFuture<MutationResult> other = call(group, mutation(A, 1, "m2"));
    awaitQueued(group, 2);

    release.countDown();

    assertThat(skuOf(other.get(30, TimeUnit.SECONDS))).isEqualTo(Sku.of("m2"));
    assertThat(interruptedLeader.get(30, TimeUnit.SECONDS)).as("interrupt status kept").isTrue();
    assertThat(batches).hasSize(2);
    assertThat(batches.get(1)).hasSize(2);
    assertThat(interruptedDuringSend).containsExactly(false, false);
  }

  static Throwable failureOf(CompletableFuture<?> f) throws InterruptedException {
    try {
      f.get(30, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer", e);
    }
  }
}
