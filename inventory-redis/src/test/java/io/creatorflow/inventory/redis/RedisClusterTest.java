package io.creatorflow.inventory.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.memory.InMemoryStockStore;
import io.creatorflow.inventory.redis.internal.RedisKeys;
import io.creatorflow.inventory.spi.AlertRule;
import io.creatorflow.inventory.spi.EventInbox.InboxEvent;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The store on a real Redis Cluster of three masters: every script must touch one slot (Redis
 * refuses cross-slot scripts with CROSSSLOT), tenants spread over the masters, and the store-wide
 * sweeps fan out to all of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisClusterTest {
  static final Instant T0 = Instant.parse("2024-06-01T12:00:00Z");

  ClientResources resources;
  LocalCluster cluster;
  RedisClusterClient client;
  StatefulRedisClusterConnection<String, String> connection;
  RedisStockStore store;

  @BeforeAll
  void startCluster() throws Exception {
    resources = RedisTestSupport.fastReconnect();
    cluster = LocalCluster.start(resources);
    client = RedisClusterClient.create(resources, cluster.uris());
    connection = client.connect();
    store = RedisStockStore.builder(connection).keyPrefix("cluster").commandTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  void stopCluster() {
    if (client != null) {
      client.shutdown(0, 2, TimeUnit.SECONDS);
    }
    if (cluster != null) {
      cluster.close();
    }
    if (resources != null) {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("random operation sequences agree with the reference store, with tenants on different masters")
  void differentialOnCluster() {
    Set<String> masters = new HashSet<>();
    for (long seed = 11; seed <= 14; seed++) {
      DifferentialRun run = new DifferentialRun(seed, store, new InMemoryStockStore());
      run.run(150);
      run.assertExercisedEverything();
      masters.add(masterOf(run.tenant));
    }
    assertThat(masters).as("tenants landed on several masters").hasSizeGreaterThan(1);
  }

  String masterOf(TenantId tenant) {
    int slot = SlotHash.getSlot(new RedisKeys("cluster").tenant(tenant).meta());
    return connection.getPartitions().getPartitionBySlot(slot).getNodeId();
  }

  @Test
  @DisplayName("store-wide sweeps (pending deliveries, inbox) collect every tenant from every master")
  void sweepsFanOut() {
    RedisStockStore store = RedisStockStore.builder(connection).keyPrefix("sweeps").build();
    List<TenantId> tenants = new ArrayList<>();
    Set<String> masters = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      TenantId t = TenantId.of("sweep-" + i);
      tenants.add(t);
      masters.add(masterOf(t));
      Sku sku = Sku.of("S");
      store.registerItem(ItemDefinition.builder(t, sku).build(), T0);
      MutationResult r = store.apply(new Mutation(t, T0.plusSeconds(i), null,
          List.of(new LineChange(sku, MovementType.RESERVE, 0, 0, 0, null, null, null, null)), null, new AlertRule(0, 0)));
      assertThat(((MutationResult.Applied) r).alertEvents()).hasSize(1);
      assertThat(store.offer(t, "tiktok", "e-" + i, "payload " + i, T0.plusSeconds(i))).isTrue();
    }
    assertThat(masters).hasSize(3);

    List<Alert> pending = store.pendingDeliveries(T0.plusSeconds(100), 1000);
    List<InboxEvent> events = store.pending(1000);

    assertThat(pending).extracting(Alert::tenant).containsExactlyElementsOf(tenants);
    assertThat(pending.stream().map(Alert::id).distinct()).hasSize(12);
    assertThat(events).extracting(InboxEvent::tenant).containsExactlyElementsOf(tenants);
    assertThat(store.pendingDeliveries(T0.plusSeconds(100), 5)).extracting(Alert::tenant).containsExactlyElementsOf(tenants.subList(0, 5));
  }

  @Test
  @DisplayName("leases and ping work through the cluster connection")
  void leases() {
    store.ping();
    assertThat(store.tryAcquire("sync", "a", T0, Duration.ofMinutes(1))).isTrue();
    assertThat(store.tryAcquire("sync", "b", T0, Duration.ofMinutes(1))).isFalse();
    store.release("sync", "a");
    assertThat(store.tryAcquire("sync", "b", T0, Duration.ofMinutes(1))).isTrue();
  }
}
