package io.creatorflow.inventory.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The scenario runner's command line.
 *
 * @param mode how large the scenarios are
 * @param json where the figures are written as JSON, or {@code null}
 * @param markdown where the Markdown table is written (besides standard output), or {@code null}
 * @param scenarios which scenarios run, in this order
 * @param stores which stores the store scenarios use, in this order
 */
public record Options(
    Mode mode,
    @Nullable Path json,
    @Nullable Path markdown,
    List<String> scenarios,
    List<StoreKind> stores,
    String postgresUrl,
    String postgresUser,
    String postgresPassword,
    String mariadbUrl,
    String mariadbUser,
    String mariadbPassword,
    String redisUrl) {

  /** Every scenario, in the order they run by default. */
  public static final List<String> SCENARIOS = List.of("flash-sale", "sync", "reconcile", "webhooks", "api");

  public static final String DEFAULT_POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  public static final String DEFAULT_MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test";
  public static final String DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

  public static final String USAGE = String.join("\n",
      "usage: java -jar inventory-benchmarks.jar [options]",
      "",
      "  --quick                 every scenario in under a minute (smaller sizes)",
      "  --smoke                 tiny sizes, for the build's smoke test",
      "  --json PATH             also write the figures as JSON (an array of objects)",
      "  --markdown PATH         also write the Markdown table to a file",
      "  --scenarios a,b         of " + String.join(", ", SCENARIOS) + " (default: all)",
      "  --stores a,b            of memory, h2, postgresql, mariadb, redis (default: all)",
      "  --postgres-url URL      default " + DEFAULT_POSTGRES_URL + " (user postgres, no password)",
      "  --postgres-user U, --postgres-password P",
      "  --mariadb-url URL       default " + DEFAULT_MARIADB_URL + " (user root, no password)",
      "  --mariadb-user U, --mariadb-password P",
      "  --redis-url URL         default " + DEFAULT_REDIS_URL,
      "",
      "The benchmarks own the tables prefixed bench_ (dropped and re-created at start) and the Redis",
      "keys prefixed bench (deleted at start and end). Unreachable stores are reported as skipped.");

  /** How large the scenarios are. */
  public enum Mode {
    /** Tiny sizes, seconds in total: the build's smoke test. */
    SMOKE,
    /** Each scenario in under a minute. */
    QUICK,
    /** The seed's sizes everywhere, with more repetitions. */
    FULL
  }

  public Options {
    Objects.requireNonNull(mode, "mode");
    scenarios = List.copyOf(scenarios);
    stores = List.copyOf(stores);
  }

  /** One of three sizes, by mode. */
  public int size(int smoke, int quick, int full) {
    return switch (mode) {
      case SMOKE -> smoke;
      case QUICK -> quick;
      case FULL -> full;
    };
  }

  /**
   * Parses a command line.
   *
   * @throws IllegalArgumentException naming the bad argument
   */
  public static Options parse(String[] args) {
    Mode mode = Mode.FULL;
    Path json = null;
    Path markdown = null;
    List<String> scenarios = SCENARIOS;
    List<StoreKind> stores = List.of(StoreKind.values());
    Map<String, String> values = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--quick" -> mode = Mode.QUICK;
        case "--smoke" -> mode = Mode.SMOKE;
        case "--json" -> json = Path.of(value(args, ++i, arg));
        case "--markdown" -> markdown = Path.of(value(args, ++i, arg));
        case "--scenarios" -> scenarios = scenarios(value(args, ++i, arg));
        case "--stores" -> stores = stores(value(args, ++i, arg));
        case "--postgres-url", "--postgres-user", "--postgres-password", "--mariadb-url", "--mariadb-user",
            "--mariadb-password", "--redis-url" -> values.put(arg, value(args, ++i, arg));
        default -> throw new IllegalArgumentException("unknown argument '" + arg + "'");
      }
    }
    return new Options(mode, json, markdown, scenarios, stores,
        values.getOrDefault("--postgres-url", DEFAULT_POSTGRES_URL),
        values.getOrDefault("--postgres-user", "postgres"),
        values.getOrDefault("--postgres-password", ""),
        values.getOrDefault("--mariadb-url", DEFAULT_MARIADB_URL),
        values.getOrDefault("--mariadb-user", "root"),
        values.getOrDefault("--mariadb-password", ""),
        values.getOrDefault("--redis-url", DEFAULT_REDIS_URL));
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static List<String> scenarios(String list) {
    List<String> out = new ArrayList<>();
    for (String s : list.split(",")) {
      String name = s.strip().toLowerCase(Locale.ROOT);
      if (!SCENARIOS.contains(name)) {
        throw new IllegalArgumentException("unknown scenario '" + s + "'; the scenarios are " + SCENARIOS);
      }
      out.add(name);
    }
    return out;
  }

  private static List<StoreKind> stores(String list) {
    List<StoreKind> out = new ArrayList<>();
    for (String s : list.split(",")) {
      out.add(StoreKind.parse(s.strip()));
    }
    return out;
  }

  @Override
  public String toString() {
    return "Options[mode=" + mode + ", scenarios=" + scenarios + ", stores=" + Arrays.toString(stores.toArray())
        + ", postgres=" + postgresUrl + ", mariadb=" + mariadbUrl + ", redis=" + redisUrl + "]";
  }
}
