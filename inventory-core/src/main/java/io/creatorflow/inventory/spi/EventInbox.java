package io.creatorflow.inventory.spi;

import io.creatorflow.inventory.TenantId;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A durable inbox for events that arrive from outside (shop webhooks): record first, acknowledge,
 * process later. Recording is the deduplication point, so a redelivered event is recognised across
 * restarts and across service instances sharing the store.
 *
 * <p>Thread-safe; on a shared store every guarantee holds across instances. Failures are thrown as
 * {@link io.creatorflow.inventory.StoreUnavailableException}.
 */
public interface EventInbox {

  /**
   * Records an event unless one with the same tenant, source and id was recorded before.
   *
   * @param source where it came from, such as {@code "tiktok"}
   * @param eventId the sender's unique id (TikTok: {@code tts_notification_id})
   * @param payload the event as received, for processing later
   * @return {@code true} if recorded now, {@code false} if it is a duplicate
   */
  boolean offer(TenantId tenant, String source, String eventId, String payload, Instant receivedAt);

  /** Unprocessed events of every tenant, oldest first. */
  List<InboxEvent> pending(int limit);

  /**
   * Marks an event processed, or records a failed attempt. Processed is final: a failed attempt
   * reported for an event that is already processed (two workers took the same pending event, one
   * succeeded) changes nothing, so the event is not processed again. Unknown events are ignored.
   *
   * @param error {@code null} on success (the event leaves {@link #pending}); otherwise the reason
   *     of a failed attempt (a pending event stays pending and its attempt count rises)
   */
  void complete(TenantId tenant, String source, String eventId, Instant at, @Nullable String error);

  /** An event waiting in the inbox. */
  record InboxEvent(
      TenantId tenant, String source, String eventId, String payload, Instant receivedAt, int attempts,
      @Nullable String lastError) {}
}
