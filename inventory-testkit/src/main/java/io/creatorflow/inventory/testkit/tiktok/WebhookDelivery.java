package io.creatorflow.inventory.testkit.tiktok;

import org.jspecify.annotations.Nullable;

/**
 * One webhook the emulator sent.
 *
 * @param body the exact bytes sent, as UTF-8 text
 * @param signature the {@code Authorization} header sent
 * @param httpStatus the receiver's answer, or {@code -1} when the delivery failed ({@code error} says
 *     why)
 */
public record WebhookDelivery(
    String notificationId, int type, String body, String signature, int httpStatus, @Nullable String error) {}
