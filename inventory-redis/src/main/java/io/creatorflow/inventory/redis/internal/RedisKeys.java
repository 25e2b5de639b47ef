package io.creatorflow.inventory.redis.internal;

import io.creatorflow.inventory.TenantId;

/**
 * The key schema. Every key starts with the configured prefix. Keys of one tenant share the hash
 * tag {@code {t:<tenant>}}, so they live in one Redis Cluster slot and every script touches a single
 * slot; store-wide keys (the tenant registry, leases) share the tag {@code {g}}. In the tag, the
 * tenant id is written with {@code %}, <code>{</code> and <code>}</code> percent-escaped, so no tenant
 * id can end the tag early or collide with another; everything after the tag is {@link KeyCodec}
 * encoded and is always the last part of a key, so {@code :} and braces in it are harmless.
 *
 * <p>Immutable and thread-safe.
 */
public final class RedisKeys {
  /** The longest accepted prefix. */
  public static final int MAX_PREFIX_LENGTH = 64;

  private final String prefix;

  /**
   * @throws IllegalArgumentException if the prefix is empty, longer than {@value #MAX_PREFIX_LENGTH}
   *     characters, or contains braces, white space or control characters
   */
  public RedisKeys(String prefix) {
    this.prefix = checkPrefix(prefix);
  }

  public static String checkPrefix(String prefix) {
    if (prefix.isEmpty() || prefix.length() > MAX_PREFIX_LENGTH) {
      throw new IllegalArgumentException(
          "key prefix must have 1 to " + MAX_PREFIX_LENGTH + " characters, was '" + prefix + "'");
    }
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (c == '{' || c == '}' || Character.isWhitespace(c) || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "key prefix must not contain braces, white space or control characters, was '" + prefix + "'");
      }
    }
    return prefix;
  }

  public String prefix() {
    return prefix;
  }

  /** Store-wide: hash of encoded tenant id to the tenant's ordinal. */
  public String tenantRegistry() {
    return prefix + ":{g}:tenants";
  }

  /** Store-wide: the last ordinal given to a tenant. */
  public String tenantCounter() {
    return prefix + ":{g}:tenant-seq";
  }

  /** Store-wide: one lease (hash: owner, expiry). */
  public String lease(String name) {
    return prefix + ":{g}:lease:" + KeyCodec.encode(name);
  }

  public Tenant tenant(TenantId tenant) {
    return new Tenant(prefix + ":{t:" + tag(tenant.value()) + "}:");
  }

  static String tag(String tenant) {
    StringBuilder out = null;
    for (int i = 0; i < tenant.length(); i++) {
      char c = tenant.charAt(i);
      String escape = switch (c) {
        case '%' -> "%25";
        case '{' -> "%7B";
        case '}' -> "%7D";
        default -> null;
      };
      if (escape != null && out == null) {
        out = new StringBuilder(tenant.length() + 8).append(tenant, 0, i);
      }
      if (out != null) {
        if (escape != null) {
          out.append(escape);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? tenant : out.toString();
  }

  /** The keys of one tenant. Immutable. */
  public static final class Tenant {
    private final String base;

    Tenant(String base) {
      this.base = base;
    }

    /** Hash: ord (tenant ordinal), mseq (last movement id), aseq (last alert sequence). */
    public String meta() {
      return base + "meta";
    }

    /** Sorted set, score 0: every registered SKU (encoded), in SKU order. */
    public String catalog() {
      return base + "skus";
    }

    /** Hash: encoded channel NUL encoded channel SKU id, to encoded SKU. */
    public String listings() {
      return base + "listings";
    }

    /** The part of a SKU hash key before the encoded SKU. */
    public String skuPrefix() {
      return base + "sku:";
    }

    /** Hash: one SKU's definition, level and open alert ids. */
    public String sku(String encodedSku) {
      return base + "sku:" + encodedSku;
    }

    /** Hash: movement id to ledger row (JSON). */
    public String ledger() {
      return base + "ledger";
    }

    /** Sorted set, score = movement id: every movement of the tenant. */
    public String ledgerIndex() {
      return base + "ledger-index";
    }

    /** Sorted set, score = movement id: the movements of one SKU. */
    public String skuLedger(String encodedSku) {
      return base + "sku-ledger:" + encodedSku;
    }

    /** Hash: encoded order id to order record. */
    public String orders() {
      return base + "orders";
    }

    /** Hash: one idempotency record (fingerprint, order id, movement rows). */
    public String idempotency(String key) {
      return base + "idem:" + KeyCodec.encode(key);
    }

    /** String with a TTL: the reply of a mutation without idempotency key, for Lettuce retransmits. */
    public String guard(String requestId) {
      return base + "guard:" + requestId;
    }

    /** Hash: alert sequence to alert record (JSON). */
    public String alerts() {
      return base + "alerts";
    }

    /** Sorted set, score = alert sequence: the open alerts. */
    public String openAlerts() {
      return base + "alerts-open";
    }

    /** Sorted set, score = epoch ms the notification was raised: alerts whose delivery is pending. */
    public String pendingDeliveries() {
      return base + "alerts-pending";
    }

    /** Hash: event ref to inbox record (JSON). */
    public String inbox() {
      return base + "inbox";
    }

    /** Hash: event ref to payload. */
    public String inboxPayloads() {
      return base + "inbox-payloads";
    }

    /** Sorted set, score = received epoch ms: unprocessed events. */
    public String inboxPending() {
      return base + "inbox-pending";
    }

    /** Sorted set, score = completion epoch ms: processed events kept for a limited time. */
    public String inboxProcessed() {
      return base + "inbox-processed";
    }
  }
}
