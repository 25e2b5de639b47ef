package io.creatorflow.inventory.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.creatorflow.inventory.TenantId;
import io.lettuce.core.cluster.SlotHash;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedisKeysTest {
  @Test
  void tenantTagsAreInjectiveAndBraceFree() {
    List<String> ids = List.of("a", "a}", "a%7D", "{a}", "a%", "%25", "%7B", "{", "}{", "t:a");
    Set<String> tags = new HashSet<>();
    for (String id : ids) {
      String tag = RedisKeys.tag(id);
      assertThat(tag).doesNotContain("{", "}");
      tags.add(tag);
    }
    assertThat(tags).hasSize(ids.size());
  }

  @Test
  void everyKeyOfATenantHashesToOneSlot() {
    RedisKeys keys = new RedisKeys("inv:x");
    RedisKeys.Tenant t = keys.tenant(TenantId.of("shop {1}: main"));
    List<String> all = List.of(t.meta(), t.catalog(), t.listings(), t.sku("A{b}:c"), t.ledger(), t.ledgerIndex(),
        t.skuLedger("}{"), t.orders(), t.idempotency("k}"), t.guard("r"), t.alerts(), t.openAlerts(),
        t.pendingDeliveries(), t.inbox(), t.inboxPayloads(), t.inboxPending(), t.inboxProcessed());
    Set<Integer> slots = new HashSet<>();
    all.forEach(k -> slots.add(SlotHash.getSlot(k)));
    assertThat(slots).hasSize(1);
    assertThat(SlotHash.getSlot(keys.tenantRegistry())).isEqualTo(SlotHash.getSlot(keys.lease("any{thing}")))
        .isEqualTo(SlotHash.getSlot(keys.tenantCounter()));
    assertThat(all).allSatisfy(k -> assertThat(k).startsWith("inv:x:{t:shop %7B1%7D: main}:"));
  }
}
