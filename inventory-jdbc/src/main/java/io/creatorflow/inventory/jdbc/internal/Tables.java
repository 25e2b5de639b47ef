package io.creatorflow.inventory.jdbc.internal;

/**
 * The store's table names, each the configured prefix followed by a fixed name. The prefix is the
 * only text ever put into SQL that is not a bound parameter; the builder validates it.
 */
public record Tables(
    String prefix, String item, String listing, String movement, String orders, String alert,
    String idempotency, String inbox, String lease, String schemaHistory) {

  public static Tables withPrefix(String prefix) {
    return new Tables(prefix, prefix + "item", prefix + "listing", prefix + "movement", prefix + "orders",
        prefix + "alert", prefix + "idempotency", prefix + "inbox", prefix + "lease", prefix + "schema_history");
  }
}
