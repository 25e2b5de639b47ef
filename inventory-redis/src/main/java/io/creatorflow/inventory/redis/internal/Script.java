package io.creatorflow.inventory.redis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The Lua scripts of the store, read once from the class path ({@code
 * io/creatorflow/inventory/redis/scripts/*.lua}), each prefixed with {@code common.lua}. They run by
 * SHA-1 ({@code EVALSHA}); a server that does not know a script yet (first use, restart, failover,
 * {@code SCRIPT FLUSH}) answers {@code NOSCRIPT} and the gateway sends the text once with {@code
 * EVAL}, which also caches it.
 */
public enum Script {
  REGISTER_ITEM("register_item"),
  UPDATE_ITEM("update_item"),
  ITEM_BY_LISTING("item_by_listing"),
  FIND_ITEMS("find_items"),
  APPLY("apply"),
  REPLAY("replay"),
  HISTORY("history"),
  MOVEMENTS_AFTER("movements_after"),
  ALERT_GET("alert_get"),
  ALERTS_OPEN("alerts_open"),
  ALERT_RESOLVE("alert_resolve"),
  ALERT_DELIVERY("alert_delivery"),
  ALERTS_PENDING("alerts_pending"),
  INBOX_OFFER("inbox_offer"),
  INBOX_PENDING("inbox_pending"),
  INBOX_COMPLETE("inbox_complete"),
  LEASE_ACQUIRE("lease_acquire"),
  LEASE_RELEASE("lease_release"),
  TENANT_REGISTER("tenant_register");

  private static final String ROOT = "/io/creatorflow/inventory/redis/scripts/";

  private final String fileName;
  private final String text;
  private final String sha;

  Script(String name) {
    this.fileName = name + ".lua";
    this.text = "-- inventory-redis: " + fileName + "\n" + Source.COMMON + "\n" + read(fileName);
    this.sha = sha1(text);
  }

  /** The resource name, for messages. */
  public String fileName() {
    return fileName;
  }

  /** The full text sent with {@code EVAL}. */
  public String text() {
    return text;
  }

  /** The lower-case hex SHA-1 of {@link #text()}, as {@code EVALSHA} expects. */
  public String sha() {
    return sha;
  }

  static String read(String fileName) {
    try (InputStream in = Script.class.getResourceAsStream(ROOT + fileName)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + ROOT + fileName);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read script resource " + ROOT + fileName, e);
    }
  }

  private static String sha1(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(40);
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }

  /** Holder, so the shared prefix is read before the constants that use it. */
  private static final class Source {
    static final String COMMON = read("common.lua");
  }
}
