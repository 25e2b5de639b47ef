package io.creatorflow.inventory.jdbc.internal;

import io.creatorflow.inventory.InvalidRequestException;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.spi.EventInbox.InboxEvent;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The {@link io.creatorflow.inventory.spi.EventInbox} tables. Thread-safe (stateless). */
public final class Inbox {
  static final int MAX_SOURCE_LENGTH = 64;
  static final int MAX_EVENT_ID_LENGTH = 255;

  private final Db db;

  public Inbox(Db db) {
    this.db = db;
  }

  public boolean offer(TenantId tenant, String source, String eventId, String payload, Instant receivedAt) {
    checkKey(source, eventId);
    return db.withHandle("record an inbox event", h -> db.insertIfAbsent(h, db.sql().offer(), 1, insert -> insert
        .bind("tenant", tenant.value())
        .bind("source", source)
        .bind("eventId", eventId)
        .bind("payload", payload)
        .bind("receivedAt", Codec.nanos(receivedAt))));
  }

  public List<InboxEvent> pending(int limit) {
    if (limit < 0) {
      throw new InvalidRequestException("limit must not be negative, was " + limit);
    }
    if (limit == 0) {
      return List.of();
    }
    return db.withHandle("read pending inbox events", h -> h.createQuery(db.sql().pendingEvents())
        .bind("limit", limit)
        .map(Rows.INBOX_EVENT)
        .list());
  }

  public void complete(TenantId tenant, String source, String eventId, Instant at, @Nullable String error) {
    db.withHandle("complete an inbox event", h -> {
      if (error == null) {
        return h.createUpdate(db.sql().completeEvent())
            .bind("at", Codec.nanos(at))
            .bind("tenant", tenant.value())
            .bind("source", source)
            .bind("eventId", eventId)
            .execute();
      }
      return h.createUpdate(db.sql().failEvent())
          .bind("error", error)
          .bind("tenant", tenant.value())
          .bind("source", source)
          .bind("eventId", eventId)
          .execute();
    });
  }

  private static void checkKey(String source, String eventId) {
    if (source.isEmpty() || source.length() > MAX_SOURCE_LENGTH) {
      throw new InvalidRequestException("inbox source must be 1 to " + MAX_SOURCE_LENGTH + " characters, was "
          + source.length());
    }
    if (eventId.isEmpty() || eventId.length() > MAX_EVENT_ID_LENGTH) {
      throw new InvalidRequestException("inbox event id must be 1 to " + MAX_EVENT_ID_LENGTH + " characters, was "
          + eventId.length());
    }
  }
}
