package io.creatorflow.inventory.tiktok;

import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.EventInbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** A test double of {@link EventInbox}: a concurrent map, optionally failing every call. */
public final class InMemoryInbox implements EventInbox {
  private final Map<String, InboxEvent> events = new ConcurrentHashMap<>();
  private volatile boolean down;

  public void down(boolean down) {
    this.down = down;
  }

  @Override
  public boolean offer(TenantId tenant, String source, String eventId, String payload, Instant receivedAt) {
    if (down) {
      throw new StoreUnavailableException("inbox down", null);
    }
    return events.putIfAbsent(tenant + "|" + source + "|" + eventId,
        new InboxEvent(tenant, source, eventId, payload, receivedAt, 0, null)) == null;
  }

  @Override
  public List<InboxEvent> pending(int limit) {
    List<InboxEvent> list = new ArrayList<>(events.values());
    list.sort(Comparator.comparing(InboxEvent::receivedAt));
    return list.subList(0, Math.min(limit, list.size()));
  }

  @Override
  public void complete(TenantId tenant, String source, String eventId, Instant at, @Nullable String error) {
    if (error == null) {
      events.remove(tenant + "|" + source + "|" + eventId);
    }
  }

  public int size() {
    return events.size();
  }
}
