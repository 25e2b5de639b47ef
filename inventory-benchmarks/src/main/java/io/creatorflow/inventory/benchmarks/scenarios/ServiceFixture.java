package io.creatorflow.inventory.benchmarks.scenarios;

import io.creatorflow.inventory.examples.InventoryService;
import io.creatorflow.inventory.examples.ServiceConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code inventory-examples}' {@link InventoryService} started in this process on an ephemeral port,
 * configured as its own defaults say (an H2 file database in a temporary data directory, the TikTok
 * Shop emulator with its demo catalog), with the periodic order poll and reconciliation off so that
 * they do not run during a measurement.
 */
final class ServiceFixture implements AutoCloseable {
  final InventoryService service;
  final Path dataDir;

  private ServiceFixture(InventoryService service, Path dataDir) {
    this.service = service;
    this.dataDir = dataDir;
  }

  static ServiceFixture start(Map<String, String> extra) throws Exception {
    Path dir = Files.createTempDirectory("inventory-bench-service");
    Map<String, String> env = new HashMap<>();
    env.put("PORT", "0");
    env.put("HOST", "127.0.0.1");
    env.put("DATA_DIR", dir.toString());
    env.put("TENANT", "bench-creator");
    env.put("ORDER_POLL_INTERVAL", "off");
    env.put("RECONCILE_INTERVAL", "off");
    env.putAll(extra);
    try {
      return new ServiceFixture(InventoryService.start(ServiceConfig.fromEnvironment(env)), dir);
    } catch (Exception | Error e) {
      deleteTree(dir);
      throw e;
    }
  }

  /** The service's store, as its status page describes it, without the temporary directory's path. */
  String storeDescription() {
    String store = String.valueOf(service.facts().get("Store"));
    return store.replace(dataDir.toString(), "a temporary data directory");
  }

  String url(String path) {
    return "http://127.0.0.1:" + service.port() + path;
  }

  @Override
  public void close() throws IOException {
    try {
      service.close();
    } finally {
      deleteTree(dataDir);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
