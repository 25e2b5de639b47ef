package io.creatorflow.inventory.spi;

/**
 * The idempotency key a mutation is applied under, with the fingerprint of the request that carried
 * it. A store keeps one record per tenant and key; see {@link StockStore#apply(Mutation)}.
 *
 * @param key the caller's key (1 to 200 characters), unique per tenant
 * @param fingerprint a digest of the request; the engine compares it on replay
 */
public record IdempotencyClaim(String key, String fingerprint) {
  public static final int MAX_KEY_LENGTH = 200;
}
