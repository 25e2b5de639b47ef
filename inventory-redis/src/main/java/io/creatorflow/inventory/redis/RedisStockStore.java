package io.creatorflow.inventory.redis;

import io.creatorflow.inventory.Alert;
import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.AlertEventType;
import io.creatorflow.inventory.CatalogItem;
import io.creatorflow.inventory.CatalogQuery;
import io.creatorflow.inventory.ConflictException;
import io.creatorflow.inventory.DeliveryState;
import io.creatorflow.inventory.HistoryQuery;
import io.creatorflow.inventory.ItemDefinition;
import io.creatorflow.inventory.ItemStock;
import io.creatorflow.inventory.Movement;
import io.creatorflow.inventory.MovementType;
import io.creatorflow.inventory.Order;
import io.creatorflow.inventory.OrderId;
import io.creatorflow.inventory.Page;
import io.creatorflow.inventory.ShopListing;
import io.creatorflow.inventory.Sku;
import io.creatorflow.inventory.StockLevel;
import io.creatorflow.inventory.StockStatus;
import io.creatorflow.inventory.StoreUnavailableException;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.redis.internal.AlertIds;
import io.creatorflow.inventory.redis.internal.GroupApply;
import io.creatorflow.inventory.redis.internal.KeyCodec;
import io.creatorflow.inventory.redis.internal.Records;
import io.creatorflow.inventory.redis.internal.RedisGateway;
import io.creatorflow.inventory.redis.internal.RedisKeys;
import io.creatorflow.inventory.redis.internal.Script;
import io.creatorflow.inventory.redis.internal.TenantRegistry;
import io.creatorflow.inventory.redis.internal.TimeKeys;
import io.creatorflow.inventory.spi.AlertRule;
import io.creatorflow.inventory.spi.EventInbox;
import io.creatorflow.inventory.spi.IdempotencyClaim;
import io.creatorflow.inventory.spi.LeaseStore;
import io.creatorflow.inventory.spi.LineChange;
import io.creatorflow.inventory.spi.Mutation;
import io.creatorflow.inventory.spi.MutationResult;
import io.creatorflow.inventory.spi.OrderWrite;
import io.creatorflow.inventory.spi.StockStore;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StockStore}, {@link EventInbox} and {@link LeaseStore} on Redis, for services that run
 * Redis already and want the lowest latency on a hot SKU. Works with standalone Redis, Sentinel,
 * master/replica and Redis Cluster through a Lettuce connection the host creates, configures and
 * closes; the store never closes it.
 *
 * <pre>{@code
 * RedisClient client = RedisClient.create("redis://localhost:6379");
 * StatefulRedisConnection<String, String> connection = client.connect();
 * RedisStockStore store = RedisStockStore.builder(connection)
 *     .keyPrefix("shop")                                   // default "inventory"
 *     .commandTimeout(Duration.ofSeconds(2))               // default 5 s
 *     .idempotencyRetention(IdempotencyRetention.forever()) // the default
 *     .ledgerRetention(LedgerRetention.keepAll())           // the default
 *     .maxBatchSize(64)                                    // the default; 1 = one script per mutation
 *     .build();
 * }</pre>
 *
 * <h2>Atomicity</h2>
 *
 * Every operation that changes state is one Lua script, run by SHA ({@code EVALSHA}; on {@code
 * NOSCRIPT} the text is sent once with {@code EVAL}). Redis runs a script without interleaving any
 * other command, so {@link #apply} checks every guard ({@link LineChange#check}, the order version,
 * the idempotency record), changes stock, appends the ledger rows, opens and resolves alerts
 * ({@link AlertRule#decide}, mirrored exactly), writes the order and records the idempotency key in
 * one step, across any number of engine instances. No state is read into the JVM and written back.
 * One round trip per operation; concurrent callers share the connection, so Lettuce pipelines their
 * scripts.
 *
 * <h2>Group commit</h2>
 *
 * Mutations of one tenant that arrive while that tenant's {@link #apply} scripts are in flight are
 * sent together in one {@code apply.lua} call (at most {@link Builder#maxBatchSize} mutations and
 * 512 changes, at most {@link Builder#maxConcurrentBatches} calls per tenant in flight). The script
 * applies them one after the other, each with its own guards, ledger rows, order, idempotency record
 * (or retransmit guard) and result ({@code Applied}, {@code Replayed} or {@code Rejected}): exactly
 * the outcomes of separate calls, including between mutations of the same batch (a key recorded by
 * one replays for a later one; an order written by one is the current order for the next). The
 * round trip, the script call and the encoding are shared; the Redis work per mutation drops with
 * them (the SKU's level is read and written once per batch, the ledger rows and index entries, and
 * the orders, are written with one command each). The batching is done by the calling threads: the
 * first caller that finds no call of its tenant in flight sends everything waiting, the others wait
 * for its reply (at most the command timeout); the store starts no threads. Without contention every
 * call carries one mutation. A failed call fails every mutation in it with {@link
 * StoreUnavailableException}; the script is atomic, so none of them is half-applied, and it writes
 * nothing before all of its outcomes are decided.
 *
 * <h2>Key schema</h2>
 *
 * Every key starts with the prefix ({@code P} below). A tenant's keys share the hash tag
 * <code>{t:&lt;tenant&gt;}</code> (with {@code %}, <code>{</code> and <code>}</code> of the tenant id
 * percent-escaped), so each script touches one Redis Cluster slot. {@code <sku>}, {@code <key>} and
 * other ids in key names are written with an order-preserving escape for characters from U+D000 up
 * (ordinary text is unchanged). With <code>T = P:{t:&lt;tenant&gt;}</code>:
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>Key</th><th>Type</th><th>Holds</th></tr>
 *   <tr><td>{@code T:meta}</td><td>hash</td><td>{@code ord} tenant ordinal, {@code mseq} last movement
 *       id, {@code aseq} last alert sequence</td></tr>
 *   <tr><td>{@code T:sku:<sku>}</td><td>hash</td><td>the item's definition, its level (on hand,
 *       reserved, version, time) and its open alert ids</td></tr>
 *   <tr><td>{@code T:skus}</td><td>sorted set</td><td>every SKU, score 0, in {@link Sku} order</td></tr>
 *   <tr><td>{@code T:listings}</td><td>hash</td><td>channel and channel SKU id to SKU</td></tr>
 *   <tr><td>{@code T:ledger}</td><td>hash</td><td>movement id to ledger row (JSON)</td></tr>
 *   <tr><td>{@code T:ledger-index}</td><td>sorted set</td><td>every movement of the tenant, score = id,
 *       member {@code <id>|<type>|<time>}</td></tr>
 *   <tr><td>{@code T:sku-ledger:<sku>}</td><td>sorted set</td><td>the same, for one SKU</td></tr>
 *   <tr><td>{@code T:orders}</td><td>hash</td><td>order id to order record</td></tr>
 *   <tr><td>{@code T:idem:<key>}</td><td>hash</td><td>idempotency record: fingerprint, order id and
 *       the movements it committed; TTL per {@link IdempotencyRetention}</td></tr>
 *   <tr><td>{@code T:guard:<request id>}</td><td>string</td><td>reply of a mutation without idempotency
 *       key, kept for the retransmit guard (see below)</td></tr>
 *   <tr><td>{@code T:alerts}</td><td>hash</td><td>alert sequence to alert (JSON)</td></tr>
 *   <tr><td>{@code T:alerts-open}</td><td>sorted set</td><td>open alerts by id</td></tr>
 *   <tr><td>{@code T:alerts-pending}</td><td>sorted set</td><td>alerts whose latest notification awaits
 *       delivery, score = raise time (ms)</td></tr>
 *   <tr><td>{@code T:inbox}, {@code T:inbox-payloads}</td><td>hash</td><td>inbox events and their
 *       payloads</td></tr>
 *   <tr><td>{@code T:inbox-pending}, {@code T:inbox-processed}</td><td>sorted set</td><td>unprocessed
 *       events by receive time; processed events by completion time (only with an idempotency
 *       TTL)</td></tr>
 *   <tr><td><code>P:{g}:tenants</code>, <code>P:{g}:tenant-seq</code></td><td>hash, string</td><td>the
 *       tenant registry: tenant to ordinal, for store-wide alert ids and sweeps</td></tr>
 *   <tr><td><code>P:{g}:lease:&lt;name&gt;</code></td><td>hash</td><td>a lease: owner and expiry</td></tr>
 * </table>
 *
 * <h2>Ids</h2>
 *
 * Movement ids come from the counter {@code mseq} in {@code T:meta}, advanced inside {@link #apply},
 * so they increase in commit order within a tenant (within a batch, in the order of its mutations
 * and their changes; they are unique per tenant). Alert ids are unique in the store: the
 * tenant's ordinal in the high 31 bits, the tenant's alert sequence in the low 32.
 *
 * <h2>Queries and their cost</h2>
 *
 * <ul>
 *   <li>{@link #item}, {@link #level}, {@link #order}, {@link #alert}, {@link #itemByListing}: O(1).
 *   <li>{@link #findItems}: without filters O(log N + page); with a status or text filter one pass over
 *       the tenant's N items inside Redis (a script; Redis serves nothing else meanwhile, roughly a
 *       millisecond per few thousand items). Text matching is {@link CatalogQuery#matchesText}: a
 *       plain substring search on lower-cased name and SKU, every character literal.
 *   <li>{@link #history}: without type or time filter O(log M + page) on the tenant's or the SKU's
 *       index; with one, a pass over that index's members (not the rows), inside Redis. Totals are
 *       always exact. On ledgers of millions of rows prefer SKU-scoped or unfiltered queries for
 *       interactive use, or set a {@link LedgerRetention}.
 *   <li>{@link #forEachMovement}: chunks of 500 rows, one round trip each.
 *   <li>{@link #pendingDeliveries}, {@link #pending}: one pipelined script per registered tenant,
 *       O(log N + limit) each.
 * </ul>
 *
 * <h2>Retention</h2>
 *
 * Nothing is dropped by default. {@link LedgerRetention} can limit ledger rows per SKU or by age;
 * {@link IdempotencyRetention} can give idempotency records (and processed inbox events) a TTL.
 * Orders and alerts are kept.
 *
 * <h2>Failures and durability</h2>
 *
 * Every Lettuce failure (connection lost, timeout, server error) is thrown as {@link
 * StoreUnavailableException} with the Lettuce exception as cause. The store keeps no connection
 * state of its own: Lettuce reconnects, and scripts are reloaded on {@code NOSCRIPT}. A command that
 * times out is cancelled, so one still queued in Lettuce is never sent later. Lettuce re-sends
 * commands that were in flight when a connection dropped (at-least-once): a mutation with an
 * idempotency key then replays; one without is protected by the <em>retransmit guard</em>, a
 * per-request record of its reply kept for {@link Builder#retransmitGuard} (default five minutes).
 * Both hold per mutation inside a batch: a re-sent batch replays every mutation it applied.
 * What a Redis crash can lose depends on the server's persistence:
 *
 * <table>
 *   <caption>Durability</caption>
 *   <tr><th>Persistence</th><th>A crash loses</th></tr>
 *   <tr><td>none</td><td>everything</td></tr>
 *   <tr><td>RDB snapshots</td><td>everything since the last snapshot</td></tr>
 *   <tr><td>AOF, {@code appendfsync everysec}</td><td>about the last second of acknowledged
 *       operations</td></tr>
 *   <tr><td>AOF, {@code appendfsync always}</td><td>nothing acknowledged</td></tr>
 * </table>
 *
 * A script is written to the AOF as one {@code MULTI}/{@code EXEC} block, so whatever survives is
 * whole operations: never a change without its ledger row. With replicas, a failover can lose
 * writes the replica had not received ({@code WAIT} is not used).
 *
 * <h2>Values</h2>
 *
 * Instants keep nanosecond precision; every string keeps every UTF-16 code unit. The connection
 * must use a UTF-8 string codec ({@code StringCodec.UTF8}, Lettuce's default). Quantities are exact
 * up to 2<sup>53</sup> (Lua numbers).
 *
 * <p>Thread-safe: one instance serves any number of threads, and any number of instances on any
 * number of machines may share one Redis.
 */
public final class RedisStockStore implements StockStore, EventInbox, LeaseStore {
  /** The default key prefix. */
  public static final String DEFAULT_KEY_PREFIX = "inventory";
  /** The default time to wait for a reply. */
  public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);
  /** The default time the reply of a mutation without idempotency key is kept for retransmits. */
  public static final Duration DEFAULT_RETRANSMIT_GUARD = Duration.ofMinutes(5);
  /** Mutations of one tenant applied together in one script at most, by default. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 64;
  /** Batches of one tenant in flight at once, by default: one is sent while the next one forms. */
  public static final int DEFAULT_MAX_CONCURRENT_BATCHES = 2;
  /**
   * Changes (ledger rows) in one batch at most: bounds how long one script keeps Redis busy. A single
   * mutation with more changes is sent alone.
   */
  static final int MAX_BATCH_CHANGES = 512;

  private static final int MOVEMENT_CHUNK = 500;
  private static final String[] NO_ARGS = {};

  private final RedisGateway gateway;
  private final RedisKeys keys;
  private final TenantRegistry registry;
  private final Duration commandTimeout;
  private final IdempotencyRetention idempotencyRetention;
  private final LedgerRetention ledgerRetention;
  private final Duration retransmitGuard;
  private final String idempotencyTtl;
  private final String guardTtl;
  private final String ledgerMaxPerSku;
  private final Supplier<String> requestIds;
  private final int maxBatchSize;
  private final int maxConcurrentBatches;
  private final GroupApply groupApply;

  private RedisStockStore(Builder b) {
    this.keys = new RedisKeys(b.keyPrefix);
    this.commandTimeout = b.commandTimeout;
    this.gateway = new RedisGateway(b.commands, b.commandTimeout);
    this.registry = new TenantRegistry(gateway, keys);
    this.idempotencyRetention = b.idempotencyRetention;
    this.ledgerRetention = b.ledgerRetention;
    this.retransmitGuard = b.retransmitGuard;
    this.idempotencyTtl = Long.toString(b.idempotencyRetention.ttlMillis());
    this.guardTtl = Long.toString(b.retransmitGuard.toMillis());
    this.ledgerMaxPerSku = Long.toString(b.ledgerRetention.maxMovementsPerSku().orElse(0));
    this.requestIds = b.requestIds;
    this.maxBatchSize = b.maxBatchSize;
    this.maxConcurrentBatches = b.maxConcurrentBatches;
    this.groupApply = new GroupApply(this::send, b.maxBatchSize, MAX_BATCH_CHANGES, b.maxConcurrentBatches);
  }

  /** Starts a store on a standalone, Sentinel or master/replica connection. */
  public static Builder builder(StatefulRedisConnection<String, String> connection) {
    Objects.requireNonNull(connection, "connection");
    return new Builder(connection.async());
  }

  /** Starts a store on a Redis Cluster connection. */
  public static Builder builder(StatefulRedisClusterConnection<String, String> connection) {
    Objects.requireNonNull(connection, "connection");
    return new Builder(connection.async());
  }

  /** The key prefix in use. */
  public String keyPrefix() {
    return keys.prefix();
  }

  public Duration commandTimeout() {
    return commandTimeout;
  }

  public IdempotencyRetention idempotencyRetention() {
    return idempotencyRetention;
  }

  public LedgerRetention ledgerRetention() {
    return ledgerRetention;
  }

  public Duration retransmitGuard() {
    return retransmitGuard;
  }

  /** The most mutations of one tenant applied in one script. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /** The most batches of one tenant in flight at once. */
  public int maxConcurrentBatches() {
    return maxConcurrentBatches;
  }

  // ---------------------------------------------------------------- catalog

  @Override
  public Registration registerItem(ItemDefinition definition, Instant at) {
    TenantId tenant = definition.tenant();
    long ordinal = registry.ordinal(tenant);
    RedisKeys.Tenant k = keys.tenant(tenant);
    String sku = KeyCodec.encode(definition.sku().value());
    List<ShopListing> listings = definition.listings();
    String[] args = new String[8 + listings.size()];
    args[0] = Long.toString(ordinal);
    args[1] = sku;
    args[2] = Records.definitionJson(definition);
    args[3] = definition.lowStockThreshold() == null ? "" : definition.lowStockThreshold().toString();
    args[4] = definition.allowBackorder() ? "1" : "0";
    args[5] = Records.searchText(definition.name());
    args[6] = Records.searchText(definition.sku().value());
    args[7] = TimeKeys.key(at);
    for (int i = 0; i < listings.size(); i++) {
      args[8 + i] = Records.listingField(listings.get(i).channel(), listings.get(i).skuId());
    }
    List<Object> reply = gateway.eval(Script.REGISTER_ITEM, ScriptOutputType.MULTI,
        new String[] {k.meta(), k.sku(sku), k.catalog(), k.listings()}, args);
    registry.confirm(tenant, Long.parseLong(str(reply, 1)), "1".equals(str(reply, 2)));
    return switch (str(reply, 0)) {
      case "E" -> new Registration(Records.item(tenant, Records.hash(list(reply, 3))), false);
      case "N" -> new Registration(Records.item(tenant, Records.hash(list(reply, 3))), true);
      case "C" -> throw listingTaken(str(reply, 3), str(reply, 4));
      default -> throw unexpected(Script.REGISTER_ITEM, reply);
    };
  }

  @Override
  public Optional<ItemUpdate> updateItem(ItemDefinition definition, Instant at, AlertRule rule) {
    TenantId tenant = definition.tenant();
    RedisKeys.Tenant k = keys.tenant(tenant);
    String sku = KeyCodec.encode(definition.sku().value());
    List<ShopListing> listings = definition.listings();
    String[] args = new String[10 + listings.size()];
    args[0] = sku;
    args[1] = Records.definitionJson(definition);
    args[2] = definition.lowStockThreshold() == null ? "" : definition.lowStockThreshold().toString();
    args[3] = definition.allowBackorder() ? "1" : "0";
    args[4] = Records.searchText(definition.name());
    args[5] = Records.searchText(definition.sku().value());
    args[6] = TimeKeys.key(at);
    args[7] = Long.toString(TimeKeys.millis(at));
    args[8] = Long.toString(rule.defaultThreshold());
    args[9] = Long.toString(rule.hysteresis());
    for (int i = 0; i < listings.size(); i++) {
      args[10 + i] = Records.listingField(listings.get(i).channel(), listings.get(i).skuId());
    }
    List<Object> reply = gateway.eval(Script.UPDATE_ITEM, ScriptOutputType.MULTI,
        new String[] {k.meta(), k.sku(sku), k.listings(), k.alerts(), k.openAlerts(), k.pendingDeliveries()}, args);
    return switch (str(reply, 0)) {
      case "M" -> Optional.empty();
      case "C" -> throw listingTaken(str(reply, 1), str(reply, 2));
      case "U" -> Optional.of(new ItemUpdate(
          Records.item(tenant, Records.hash(list(reply, 2))), alertEvents(tenant, str(reply, 1), list(reply, 3))));
      default -> throw unexpected(Script.UPDATE_ITEM, reply);
    };
  }

  private static ConflictException listingTaken(String field, String owner) {
    int nul = field.indexOf('\u0000');
    String channel = KeyCodec.decode(field.substring(0, nul));
    String skuId = KeyCodec.decode(field.substring(nul + 1));
    return new ConflictException(ConflictException.Reason.LISTING_TAKEN,
        "listing '" + channel + "' sku id '" + skuId + "' belongs to sku '" + KeyCodec.decode(owner) + "'");
  }

  @Override
  public Optional<CatalogItem> item(TenantId tenant, Sku sku) {
    String key = keys.tenant(tenant).sku(KeyCodec.encode(sku.value()));
    Map<String, String> hash = gateway.command("HGETALL", c -> c.hgetall(key));
    return hash.isEmpty() ? Optional.empty() : Optional.of(Records.item(tenant, hash));
  }

  @Override
  public Optional<CatalogItem> itemByListing(TenantId tenant, String channel, String channelSkuId) {
    RedisKeys.Tenant k = keys.tenant(tenant);
    List<Object> reply = gateway.eval(Script.ITEM_BY_LISTING, ScriptOutputType.MULTI,
        new String[] {k.listings(), k.skuPrefix()}, Records.listingField(channel, channelSkuId));
    return reply.isEmpty() ? Optional.empty() : Optional.of(Records.item(tenant, Records.hash(reply)));
  }

  @Override
  public Optional<StockLevel> level(TenantId tenant, Sku sku) {
    String key = keys.tenant(tenant).sku(KeyCodec.encode(sku.value()));
    List<KeyValue<String, String>> fields = gateway.command("HMGET", c -> c.hmget(key, "oh", "rs", "lv", "lu"));
    for (KeyValue<String, String> field : fields) {
      if (!field.hasValue()) {
        return Optional.empty();
      }
    }
    return Optional.of(Records.level(tenant, sku, fields.get(0).getValue(), fields.get(1).getValue(),
        fields.get(2).getValue(), fields.get(3).getValue()));
  }

  @Override
  public Page<ItemStock> findItems(TenantId tenant, CatalogQuery query, long defaultThreshold) {
    RedisKeys.Tenant k = keys.tenant(tenant);
    String needle = query.text() == null ? "" : Records.searchText(query.text());
    List<Object> reply = gateway.eval(Script.FIND_ITEMS, ScriptOutputType.MULTI,
        new String[] {k.catalog(), k.skuPrefix()},
        query.status() == null ? "" : query.status().name(),
        needle,
        Long.toString(defaultThreshold),
        Integer.toString(query.page().offset()),
        Integer.toString(query.page().limit()));
    List<Object> rows = list(reply, 1);
    List<ItemStock> items = new ArrayList<>(rows.size());
    for (Object row : rows) {
      Map<String, String> hash = Records.hash((List<?>) row);
      CatalogItem item = Records.item(tenant, hash);
      StockLevel level = Records.level(tenant, hash);
      items.add(new ItemStock(item, level, StockStatus.of(level.available(), item.effectiveThreshold(defaultThreshold))));
    }
    return new Page<>(items, (Long) reply.get(0), query.page());
  }

  // ---------------------------------------------------------------- mutations

  /**
   * {@inheritDoc}
   *
   * <p>Mutations of one tenant that arrive while that tenant's scripts are in flight are applied
   * together, in one script (see {@link Builder#maxBatchSize}); each has exactly the outcome it would
   * have alone.
   */
  @Override
  public MutationResult apply(Mutation m) {
    return groupApply.apply(m);
  }

  /** Applies mutations of one tenant in one script, in order; for tests of the batch path. */
  List<MutationResult> applyAll(List<Mutation> batch) {
    List<Supplier<MutationResult>> replies = send(batch);
    List<MutationResult> results = new ArrayList<>(replies.size());
    for (Supplier<MutationResult> reply : replies) {
      results.add(reply.get());
    }
    return results;
  }

  /**
   * Sends one {@code apply.lua} call for a batch of one tenant's mutations; returns one reader per
   * mutation, which the mutation's own caller runs.
   */
  private List<Supplier<MutationResult>> send(List<Mutation> batch) {
    TenantId tenant = batch.get(0).tenant();
    RedisKeys.Tenant k = keys.tenant(tenant);
    List<String> scriptKeys = new ArrayList<>(8 + 3 * batch.size());
    scriptKeys.add(k.meta());
    scriptKeys.add(k.orders());
    scriptKeys.add(k.ledgerIndex());
    scriptKeys.add(k.ledger());
    scriptKeys.add(k.alerts());
    scriptKeys.add(k.openAlerts());
    scriptKeys.add(k.pendingDeliveries());
    Map<Sku, String> skuIndexes = new HashMap<>();
    Map<String, String> recordIndexes = new HashMap<>();

    int size = 4;
    for (Mutation m : batch) {
      if (!m.tenant().equals(tenant)) {
        throw new IllegalArgumentException("a batch must be of one tenant");
      }
      size += 4 + 2 * m.changes().size();
    }
    String[] args = new String[size];
    args[0] = Integer.toString(batch.size());
    args[1] = ledgerMaxPerSku;
    args[2] = idempotencyTtl;
    args[3] = guardTtl;
    int p = 4;
    StringBuilder header = new StringBuilder(96);
    for (Mutation m : batch) {
      IdempotencyClaim claim = m.idempotency();
      OrderWrite write = m.order();
      String atKey = TimeKeys.key(m.at());
      String idempotencyKey = claim == null ? null : claim.key();
      header.setLength(0);
      header.append(atKey).append(' ').append(TimeKeys.millis(m.at())).append(' ');
      if (claim != null) {
        header.append("K ").append(index(recordIndexes, scriptKeys, k.idempotency(claim.key())));
      } else if (!retransmitGuard.isZero()) {
        header.append("G ").append(index(recordIndexes, scriptKeys, k.guard(requestIds.get())));
      } else {
        header.append("- 0");
      }
      List<LineChange> changes = m.changes();
      String cutoff = ledgerCutoff(m.at());
      header.append(' ').append(write == null ? 0 : write.expectedVersion())
          .append(' ').append(m.alertRule().defaultThreshold())
          .append(' ').append(m.alertRule().hysteresis())
          .append(' ').append(cutoff.isEmpty() ? "-" : cutoff)
          .append(' ').append(changes.size());
      args[p] = header.toString();
      args[p + 1] = claim == null ? "" : claim.fingerprint();
      args[p + 2] = write == null ? "" : KeyCodec.encode(write.id().value());
      args[p + 3] = write == null ? "" : Records.orderBody(write);
      p += 4;
      for (LineChange change : changes) {
        String skuIndex = skuIndexes.get(change.sku());
        if (skuIndex == null) {
          String sku = KeyCodec.encode(change.sku().value());
          skuIndex = Integer.toString(scriptKeys.size() + 1);
          scriptKeys.add(k.sku(sku));
          scriptKeys.add(k.skuLedger(sku));
          skuIndexes.put(change.sku(), skuIndex);
        }
        header.setLength(0);
        header.append(skuIndex).append(' ').append(Records.typeCode(change.type()))
            .append(' ').append(change.onHandDelta()).append(' ').append(change.reservedDelta())
            .append(' ').append(change.expectedOnHand() == null ? "-" : change.expectedOnHand().toString());
        args[p] = header.toString();
        args[p + 1] = Records.rowPrefix(change, idempotencyKey, atKey);
        p += 2;
      }
    }

    List<Object> reply = gateway.eval(Script.APPLY, ScriptOutputType.MULTI, scriptKeys.toArray(NO_ARGS), args);
    if (reply.size() != batch.size()) {
      throw unexpected(Script.APPLY, reply);
    }
    List<Supplier<MutationResult>> readers = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Mutation m = batch.get(i);
      Object one = reply.get(i);
      readers.add(() -> result(m, one));
    }
    return readers;
  }

  /** {@code count} space-separated integers. */
  private static long[] numbers(String text, int count) {
    long[] out = new long[count];
    int from = 0;
    for (int i = 0; i < count; i++) {
      int end = text.indexOf(' ', from);
      if (end < 0) {
        end = text.length();
      }
      if (end <= from) {
        throw new StoreUnavailableException("unexpected numbers from " + Script.APPLY.fileName() + ": " + text, null);
      }
      out[i] = Long.parseLong(text, from, end, 10);
      from = end + 1;
    }
    return out;
  }

  /** The 1-based index of a key in the script's KEYS, adding it if new. */
  private static String index(Map<String, String> indexes, List<String> scriptKeys, String key) {
    String index = indexes.get(key);
    if (index == null) {
      scriptKeys.add(key);
      index = Integer.toString(scriptKeys.size());
      indexes.put(key, index);
    }
    return index;
  }

  /** One mutation's outcome from its entry in the reply of {@code apply.lua}. */
  @SuppressWarnings("unchecked")
  private static MutationResult result(Mutation m, Object entry) {
    if (!(entry instanceof List<?>)) {
      throw new StoreUnavailableException("unexpected reply from " + Script.APPLY.fileName() + ": " + entry, null);
    }
    List<Object> reply = (List<Object>) entry;
    TenantId tenant = m.tenant();
    List<LineChange> changes = m.changes();
    switch (str(reply, 0)) {
      case "A": {
        int n = changes.size();
        String idempotencyKey = m.idempotency() == null ? null : m.idempotency().key();
        long[] numbers = numbers(str(reply, 2), 5 * n);
        List<Movement> movements = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          LineChange c = changes.get(i);
          int at = 5 * i;
          movements.add(new Movement(
              numbers[at], tenant, c.sku(), c.type(), c.quantity(),
              numbers[at + 1], numbers[at + 2], numbers[at + 3], numbers[at + 4],
              c.reason(), c.reference(), c.actor(), idempotencyKey, m.at()));
        }
        OrderWrite write = m.order();
        Order order = null;
        if (write != null) {
          String value = str(reply, 4);
          int space = value.indexOf(' ');
          if (space < 0) {
            throw unexpected(Script.APPLY, reply);
          }
          String created = value.substring(space + 1);
          Instant createdAt = created.equals(TimeKeys.key(m.at())) ? m.at() : TimeKeys.parse(created);
          order = new Order(tenant, write.id(), write.status(), write.lines(), write.returned(),
              Long.parseLong(value, 0, space, 10), createdAt, m.at());
        }
        return new MutationResult.Applied(movements, alertEvents(tenant, str(reply, 1), list(reply, 3)), order);
      }
      case "P": {
        String order = str(reply, 3);
        return new MutationResult.Replayed(str(reply, 1), Records.movements(tenant, str(reply, 2)),
            order.isEmpty() ? null : Records.order(tenant, order));
      }
      case "R": {
        MutationResult.Rejection reason = MutationResult.Rejection.valueOf(str(reply, 1));
        int index = Integer.parseInt(str(reply, 2));
        if (reason == MutationResult.Rejection.ORDER_VERSION_MISMATCH) {
          String order = str(reply, 3);
          return new MutationResult.Rejected(reason, null, null, order.isEmpty() ? null : Records.order(tenant, order));
        }
        Sku sku = changes.get(index - 1).sku();
        StockLevel level = reply.size() > 4
            ? Records.level(tenant, sku, str(reply, 4), str(reply, 5), str(reply, 6), str(reply, 7))
            : null;
        return new MutationResult.Rejected(reason, sku, level, null);
      }
      default:
        throw unexpected(Script.APPLY, reply);
    }
  }

  private String ledgerCutoff(Instant at) {
    Optional<Duration> maxAge = ledgerRetention.maxAge();
    if (maxAge.isEmpty()) {
      return "";
    }
    try {
      return TimeKeys.key(at.minus(maxAge.get()));
    } catch (DateTimeException | ArithmeticException e) {
      return TimeKeys.key(Instant.MIN);
    }
  }

  private static String randomRequestId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
  }

  @Override
  public Optional<MutationResult.Replayed> replay(TenantId tenant, String idempotencyKey) {
    RedisKeys.Tenant k = keys.tenant(tenant);
    List<Object> reply = gateway.eval(Script.REPLAY, ScriptOutputType.MULTI,
        new String[] {k.idempotency(idempotencyKey), k.orders()}, NO_ARGS);
    if (reply.isEmpty()) {
      return Optional.empty();
    }
    String order = str(reply, 2);
    return Optional.of(new MutationResult.Replayed(str(reply, 0), Records.movements(tenant, str(reply, 1)),
        order.isEmpty() ? null : Records.order(tenant, order)));
  }

  @Override
  public Optional<Order> order(TenantId tenant, OrderId id) {
    String key = keys.tenant(tenant).orders();
    String field = KeyCodec.encode(id.value());
    String value = gateway.command("HGET", c -> c.hget(key, field));
    return value == null ? Optional.empty() : Optional.of(Records.order(tenant, value));
  }

  // ---------------------------------------------------------------- ledger

  @Override
  public Page<Movement> history(TenantId tenant, HistoryQuery query) {
    RedisKeys.Tenant k = keys.tenant(tenant);
    String index = query.sku() == null ? k.ledgerIndex() : k.skuLedger(KeyCodec.encode(query.sku().value()));
    StringBuilder types = new StringBuilder();
    if (!query.types().isEmpty()) {
      for (MovementType type : EnumSet.copyOf(query.types())) {
        types.append(Records.typeCode(type));
      }
    }
    List<Object> reply = gateway.eval(Script.HISTORY, ScriptOutputType.MULTI,
        new String[] {index, k.ledger()},
        types.toString(),
        query.from() == null ? "" : TimeKeys.key(query.from()),
        query.to() == null ? "" : TimeKeys.key(query.to()),
        Integer.toString(query.page().offset()),
        Integer.toString(query.page().limit()));
    List<Object> rows = list(reply, 1);
    List<Movement> movements = new ArrayList<>(rows.size());
    for (Object row : rows) {
      movements.add(Records.movement(tenant, (String) row));
    }
    return new Page<>(movements, (Long) reply.get(0), query.page());
  }

  @Override
  public void forEachMovement(TenantId tenant, Sku sku, Consumer<Movement> action) {
    RedisKeys.Tenant k = keys.tenant(tenant);
    String[] scriptKeys = {k.skuLedger(KeyCodec.encode(sku.value())), k.ledger()};
    String after = "0";
    String upTo = "";
    while (true) {
      List<Object> reply = gateway.eval(Script.MOVEMENTS_AFTER, ScriptOutputType.MULTI, scriptKeys,
          after, upTo, Integer.toString(MOVEMENT_CHUNK));
      upTo = str(reply, 0);
      List<Object> rows = list(reply, 1);
      for (Object row : rows) {
        Movement movement = Records.movement(tenant, (String) row);
        action.accept(movement);
        after = Long.toString(movement.id());
      }
      if (rows.size() < MOVEMENT_CHUNK) {
        return;
      }
    }
  }

  // ---------------------------------------------------------------- alerts

  @Override
  public List<Alert> openAlerts(TenantId tenant, @Nullable Sku sku) {
    RedisKeys.Tenant k = keys.tenant(tenant);
    String skuKey = sku == null ? k.meta() : k.sku(KeyCodec.encode(sku.value()));
    List<Object> reply = gateway.eval(Script.ALERTS_OPEN, ScriptOutputType.MULTI,
        new String[] {k.meta(), k.alerts(), k.openAlerts(), skuKey}, sku == null ? "" : "1");
    List<Alert> alerts = alerts(tenant, str(reply, 0), list(reply, 1));
    alerts.sort(Comparator.comparingLong(Alert::id));
    return alerts;
  }

  @Override
  public Optional<Alert> alert(TenantId tenant, long alertId) {
    long ordinal = AlertIds.ordinal(alertId);
    if (ordinal == 0) {
      return Optional.empty();
    }
    String json = fetchAlert(keys.tenant(tenant), alertId);
    return json.isEmpty() ? Optional.empty() : Optional.of(Records.alert(tenant, ordinal, json));
  }

  private String fetchAlert(RedisKeys.Tenant k, long alertId) {
    return gateway.eval(Script.ALERT_GET, ScriptOutputType.VALUE, new String[] {k.meta(), k.alerts()},
        Long.toString(AlertIds.ordinal(alertId)), Long.toString(AlertIds.sequence(alertId)));
  }

  @Override
  public Optional<AlertResolution> resolveAlert(TenantId tenant, long alertId, Instant at, String actor) {
    long ordinal = AlertIds.ordinal(alertId);
    if (ordinal == 0) {
      return Optional.empty();
    }
    RedisKeys.Tenant k = keys.tenant(tenant);
    String json = fetchAlert(k, alertId);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    String sku = Records.alertSku(json);
    List<Object> reply = gateway.eval(Script.ALERT_RESOLVE, ScriptOutputType.MULTI,
        new String[] {k.meta(), k.alerts(), k.openAlerts(), k.pendingDeliveries(), k.sku(sku)},
        Long.toString(ordinal), Long.toString(AlertIds.sequence(alertId)), TimeKeys.key(at),
        Long.toString(TimeKeys.millis(at)), KeyCodec.encode(actor), sku);
    if (reply.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new AlertResolution(Records.alert(tenant, ordinal, str(reply, 1)), "1".equals(str(reply, 0))));
  }

  @Override
  public boolean recordDelivery(TenantId tenant, long alertId, AlertEventType notification, DeliveryState state, int attempts) {
    long ordinal = AlertIds.ordinal(alertId);
    if (ordinal == 0) {
      return false;
    }
    RedisKeys.Tenant k = keys.tenant(tenant);
    Long recorded = gateway.eval(Script.ALERT_DELIVERY, ScriptOutputType.INTEGER,
        new String[] {k.meta(), k.alerts(), k.pendingDeliveries()},
        Long.toString(ordinal), Long.toString(AlertIds.sequence(alertId)), notification.name(), state.name(),
        Integer.toString(attempts));
    return recorded == 1L;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Ordered by the time the latest notification was raised, then by id, across tenants, so a sweep
   * with a small limit is fair to every tenant.
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   */
  @Override
  public List<Alert> pendingDeliveries(Instant raisedBefore, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
    if (limit == 0) {
      return List.of();
    }
    String before = TimeKeys.key(raisedBefore);
    String beforeMs = Long.toString(TimeKeys.millis(raisedBefore));
    String max = Integer.toString(limit);
    List<TenantId> tenants = new ArrayList<>();
    List<RedisGateway.Pending<List<Object>>> replies = new ArrayList<>();
    for (TenantId tenant : registry.tenants().keySet()) {
      RedisKeys.Tenant k = keys.tenant(tenant);
      tenants.add(tenant);
      replies.add(gateway.submit(Script.ALERTS_PENDING, ScriptOutputType.MULTI,
          new String[] {k.meta(), k.pendingDeliveries(), k.alerts()}, before, beforeMs, max));
    }
    List<Alert> pending = new ArrayList<>();
    for (int i = 0; i < replies.size(); i++) {
      List<Object> reply = gateway.await(replies.get(i));
      pending.addAll(alerts(tenants.get(i), str(reply, 0), list(reply, 1)));
    }
    pending.sort(Comparator.comparing(RedisStockStore::raisedAt).thenComparingLong(Alert::id));
    return pending.size() > limit ? List.copyOf(pending.subList(0, limit)) : pending;
  }

  private static Instant raisedAt(Alert alert) {
    Instant resolved = alert.resolvedAt();
    return alert.notification() == AlertEventType.RESOLVED && resolved != null ? resolved : alert.openedAt();
  }

  private static List<Alert> alerts(TenantId tenant, String ordinal, List<Object> jsons) {
    List<Alert> out = new ArrayList<>(jsons.size());
    if (jsons.isEmpty()) {
      return out;
    }
    long ord = parseOrdinal(tenant, ordinal);
    for (Object json : jsons) {
      out.add(Records.alert(tenant, ord, (String) json));
    }
    return out;
  }

  private static List<AlertEvent> alertEvents(TenantId tenant, String ordinal, List<Object> jsons) {
    List<AlertEvent> events = new ArrayList<>(jsons.size());
    for (Alert alert : alerts(tenant, ordinal, jsons)) {
      events.add(alert.notification() == AlertEventType.OPENED ? AlertEvent.opened(alert) : AlertEvent.resolved(alert));
    }
    return events;
  }

  private static long parseOrdinal(TenantId tenant, String ordinal) {
    if (ordinal.isEmpty()) {
      throw new StoreUnavailableException("tenant '" + tenant + "' has alerts but no ordinal in Redis", null);
    }
    return Long.parseLong(ordinal);
  }

  @Override
  public void ping() {
    String pong = gateway.command("PING", RedisClusterAsyncCommands::ping);
    if (!"PONG".equals(pong)) {
      throw new StoreUnavailableException("Redis answered PING with '" + pong + "'", null);
    }
  }

  /** Does nothing: the connection belongs to the host, and the store holds nothing else. */
  @Override
  public void close() {}

  // ---------------------------------------------------------------- inbox

  @Override
  public boolean offer(TenantId tenant, String source, String eventId, String payload, Instant receivedAt) {
    long ordinal = registry.ordinal(tenant);
    RedisKeys.Tenant k = keys.tenant(tenant);
    long receivedMs = TimeKeys.millis(receivedAt);
    List<Object> reply = gateway.eval(Script.INBOX_OFFER, ScriptOutputType.MULTI,
        new String[] {k.inbox(), k.inboxPayloads(), k.inboxPending(), k.inboxProcessed(), k.meta()},
        Records.eventRef(source, eventId), Records.inboxRecord(source, eventId, receivedAt), KeyCodec.encode(payload),
        Long.toString(receivedMs), idempotencyTtl, Long.toString(receivedMs), Long.toString(ordinal));
    registry.confirm(tenant, Long.parseLong(str(reply, 1)), "1".equals(str(reply, 2)));
    return "1".equals(str(reply, 0));
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   */
  @Override
  public List<InboxEvent> pending(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
    if (limit == 0) {
      return List.of();
    }
    String max = Integer.toString(limit);
    List<TenantId> tenants = new ArrayList<>();
    List<RedisGateway.Pending<List<Object>>> replies = new ArrayList<>();
    for (TenantId tenant : registry.tenants().keySet()) {
      RedisKeys.Tenant k = keys.tenant(tenant);
      tenants.add(tenant);
      replies.add(gateway.submit(Script.INBOX_PENDING, ScriptOutputType.MULTI,
          new String[] {k.inbox(), k.inboxPayloads(), k.inboxPending()}, max));
    }
    List<InboxEvent> pending = new ArrayList<>();
    for (int i = 0; i < replies.size(); i++) {
      List<Object> reply = gateway.await(replies.get(i));
      List<Object> records = list(reply, 0);
      List<Object> payloads = list(reply, 1);
      for (int j = 0; j < records.size(); j++) {
        pending.add(Records.inboxEvent(tenants.get(i), (String) records.get(j), (String) payloads.get(j)));
      }
    }
    pending.sort(Comparator.comparing(InboxEvent::receivedAt).thenComparing(InboxEvent::eventId));
    return pending.size() > limit ? List.copyOf(pending.subList(0, limit)) : pending;
  }

  @Override
  public void complete(TenantId tenant, String source, String eventId, Instant at, @Nullable String error) {
    RedisKeys.Tenant k = keys.tenant(tenant);
    gateway.eval(Script.INBOX_COMPLETE, ScriptOutputType.INTEGER,
        new String[] {k.inbox(), k.inboxPayloads(), k.inboxPending(), k.inboxProcessed()},
        Records.eventRef(source, eventId), error == null ? "" : "1", error == null ? "" : KeyCodec.encode(error),
        Long.toString(TimeKeys.millis(at)), idempotencyTtl);
  }

  // ---------------------------------------------------------------- leases

  /**
   * {@inheritDoc}
   *
   * <p>Lease times are the caller's clock ({@code now}), never Redis' own; a lease key never expires
   * in Redis by itself.
   */
  @Override
  public boolean tryAcquire(String lease, String owner, Instant now, Duration ttl) {
    Instant expiry;
    try {
      expiry = now.plus(ttl);
    } catch (DateTimeException | ArithmeticException e) {
      expiry = ttl.isNegative() ? Instant.MIN : Instant.MAX;
    }
    Long held = gateway.eval(Script.LEASE_ACQUIRE, ScriptOutputType.INTEGER, new String[] {keys.lease(lease)},
        KeyCodec.encode(owner), TimeKeys.key(now), TimeKeys.key(expiry));
    return held == 1L;
  }

  @Override
  public void release(String lease, String owner) {
    gateway.eval(Script.LEASE_RELEASE, ScriptOutputType.INTEGER, new String[] {keys.lease(lease)},
        KeyCodec.encode(owner));
  }

  @Override
  public String toString() {
    return "RedisStockStore{keyPrefix=" + keys.prefix() + ", commandTimeout=" + commandTimeout + ", "
        + idempotencyRetention + ", " + ledgerRetention + ", retransmitGuard=" + retransmitGuard + ", maxBatchSize="
        + maxBatchSize + ", maxConcurrentBatches=" + maxConcurrentBatches + "}";
  }

  // ---------------------------------------------------------------- replies

  private static String str(List<Object> reply, int index) {
    Object value = reply.get(index);
    if (value instanceof String s) {
      return s;
    }
    if (value instanceof Long l) {
      return Long.toString(l);
    }
    throw new StoreUnavailableException("unexpected reply element " + index + " from Redis: " + reply, null);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(List<Object> reply, int index) {
    Object value = reply.get(index);
    if (value instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw new StoreUnavailableException("unexpected reply element " + index + " from Redis: " + reply, null);
  }

  private static StoreUnavailableException unexpected(Script script, List<Object> reply) {
    return new StoreUnavailableException("unexpected reply from " + script.fileName() + ": " + reply, null);
  }

  /**
   * Configures a {@link RedisStockStore}. Setters check their argument at once. Not thread-safe; the
   * store it builds is.
   */
  public static final class Builder {
    private final RedisClusterAsyncCommands<String, String> commands;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private IdempotencyRetention idempotencyRetention = IdempotencyRetention.forever();
    private LedgerRetention ledgerRetention = LedgerRetention.keepAll();
    private Duration retransmitGuard = DEFAULT_RETRANSMIT_GUARD;
    private Supplier<String> requestIds = RedisStockStore::randomRequestId;
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private int maxConcurrentBatches = DEFAULT_MAX_CONCURRENT_BATCHES;

    private Builder(RedisClusterAsyncCommands<String, String> commands) {
      this.commands = commands;
    }

    /**
     * The prefix of every key (default {@value RedisStockStore#DEFAULT_KEY_PREFIX}). Stores that share a prefix
     * share data; use different prefixes for independent inventories in one Redis.
     *
     * @throws IllegalArgumentException if it is empty, longer than 64 characters, or contains braces,
     *     white space or control characters
     */
    public Builder keyPrefix(String prefix) {
      this.keyPrefix = RedisKeys.checkPrefix(Objects.requireNonNull(prefix, "prefix"));
      return this;
    }

    /**
     * How long a call waits for Redis before it throws {@link StoreUnavailableException} (default 5
     * seconds). Independent of the connection's own timeout; the shorter one wins.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder commandTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("command timeout must be positive, was " + timeout);
      }
      this.commandTimeout = timeout;
      return this;
    }

    /** How long idempotency records are kept (default {@link IdempotencyRetention#forever()}). */
    public Builder idempotencyRetention(IdempotencyRetention retention) {
      this.idempotencyRetention = Objects.requireNonNull(retention, "retention");
      return this;
    }

    /** How long ledger rows are kept (default {@link LedgerRetention#keepAll()}). */
    public Builder ledgerRetention(LedgerRetention retention) {
      this.ledgerRetention = Objects.requireNonNull(retention, "retention");
      return this;
    }

    /**
     * How long the reply of a mutation without idempotency key is kept, so that a copy of the script
     * that Lettuce re-sends after a reconnect returns that reply instead of applying the mutation
     * again (default 5 minutes; {@link Duration#ZERO} turns the guard off and saves one small key per
     * such mutation). Keep it well above the command timeout.
     *
     * @throws IllegalArgumentException if negative, or positive but under one millisecond
     */
    public Builder retransmitGuard(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative() || (!window.isZero() && window.toMillis() < 1)) {
        throw new IllegalArgumentException("retransmit guard must be zero or at least 1 ms, was " + window);
      }
      this.retransmitGuard = window;
      return this;
    }

    /**
     * How many mutations of one tenant that arrive while that tenant's scripts are in flight may be
     * applied together in one script (default {@value RedisStockStore#DEFAULT_MAX_BATCH_SIZE}). The
     * script applies them one after the other, each with its own guards, ledger rows, order,
     * idempotency record and outcome, exactly as if each had its own call; the round trip and the
     * fixed cost of a script call are shared. Batches also stop at {@value
     * RedisStockStore#MAX_BATCH_CHANGES} changes. {@code 1} turns batching off: one script per
     * mutation.
     *
     * @param size 1 to 256
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxBatchSize(int size) {
      if (size < 1 || size > 256) {
        throw new IllegalArgumentException("maxBatchSize must be between 1 and 256, was " + size);
      }
      this.maxBatchSize = size;
      return this;
    }

    /**
     * How many batches of one tenant this store instance keeps in flight at once (default {@value
     * RedisStockStore#DEFAULT_MAX_CONCURRENT_BATCHES}); mutations beyond that wait for the next batch.
     * Tenants never wait for each other.
     *
     * @param batches 1 to 64
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxConcurrentBatches(int batches) {
      if (batches < 1 || batches > 64) {
        throw new IllegalArgumentException("maxConcurrentBatches must be between 1 and 64, was " + batches);
      }
      this.maxConcurrentBatches = batches;
      return this;
    }

    /** For tests: where the retransmit guard's request ids come from (default: 128 random bits). */
    Builder requestIds(Supplier<String> ids) {
      this.requestIds = Objects.requireNonNull(ids, "ids");
      return this;
    }

    /** The store. Does no I/O: scripts are loaded on first use. */
    public RedisStockStore build() {
      return new RedisStockStore(this);
    }
  }
}
