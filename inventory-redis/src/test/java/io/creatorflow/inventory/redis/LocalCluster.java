package io.creatorflow.inventory.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away Redis Cluster of three masters, each a {@link ChildRedis} on a free port of
 * 127.0.0.1, joined with {@code redis-cli --cluster create}. Used to prove that every script
 * touches a single slot and that the store works through a cluster connection.
 */
final class LocalCluster implements AutoCloseable {
  private final List<ChildRedis> nodes = new ArrayList<>();

  static LocalCluster start(ClientResources resources) throws IOException, InterruptedException {
    LocalCluster cluster = new LocalCluster();
    try {
      for (int i = 0; i < 3; i++) {
        cluster.nodes.add(ChildRedis.startClusterNode());
      }
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      cluster.nodes.forEach(n -> create.add("127.0.0.1:" + n.port()));
      create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
      Process p = new ProcessBuilder(create).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("redis-cli --cluster create failed: " + output);
      }
      cluster.awaitClusterOk(resources);
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void awaitClusterOk(ClientResources resources) throws IOException, InterruptedException {
    RedisClient client = RedisClient.create(resources);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      for (ChildRedis node : nodes) {
        try (StatefulRedisConnection<String, String> c = client.connect(node.uri())) {
          while (!c.sync().clusterInfo().contains("cluster_state:ok")) {
            if (System.nanoTime() > deadline) {
              throw new IOException("cluster did not reach state ok: " + c.sync().clusterInfo());
            }
            Thread.sleep(50);
          }
        }
      }
    } finally {
      client.shutdown(0, 1, TimeUnit.SECONDS);
    }
  }

  List<RedisURI> uris() {
    return nodes.stream().map(ChildRedis::uri).toList();
  }

  @Override
  public void close() {
    nodes.forEach(ChildRedis::close);
  }
}
