package io.creatorflow.inventory.redis;

import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A redis-server the test starts itself, as a child process on a free port of 127.0.0.1, so that it
 * can be crashed, restarted and paused without touching the machine's shared Redis. Its files live in
 * a temporary directory deleted on {@link #close()}.
 */
final class ChildRedis implements AutoCloseable {
  private final int port;
  private final Path dir;
  private final boolean appendOnlyAlways;
  private final List<String> extraArgs;
  private Process process;
  private boolean paused;

  private ChildRedis(int port, Path dir, boolean appendOnlyAlways, List<String> extraArgs) {
    this.port = port;
    this.dir = dir;
    this.appendOnlyAlways = appendOnlyAlways;
    this.extraArgs = extraArgs;
  }

  /**
   * Starts one: without persistence, or with {@code appendonly yes, appendfsync always}. Skips the
   * test (fails it under {@code CI=true}) if there is no redis-server binary.
   */
  static ChildRedis start(boolean appendOnlyAlways) throws IOException, InterruptedException {
    return start(appendOnlyAlways, List.of());
  }

  /** A Redis Cluster node (cluster-enabled, its node file in its own directory). */
  static ChildRedis startClusterNode() throws IOException, InterruptedException {
    return start(false, List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
        "--cluster-node-timeout", "2000"));
  }

  private static ChildRedis start(boolean appendOnlyAlways, List<String> extraArgs) throws IOException, InterruptedException {
    ChildRedis redis = new ChildRedis(freePort(), Files.createTempDirectory("inventory-redis-child"), appendOnlyAlways, extraArgs);
    try {
      redis.startProcess();
    } catch (IOException e) {
      redis.deleteDir();
      String message = "cannot run redis-server (" + e.getMessage() + "); install Redis to run the restart tests";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail("CI=true requires redis-server. " + message, e);
      }
      Assumptions.abort(message);
    }
    return redis;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  RedisURI uri() {
    RedisURI uri = RedisURI.create("redis://127.0.0.1:" + port);
    uri.setTimeout(Duration.ofSeconds(2));
    return uri;
  }

  /** Starts (again) on the same port and directory; returns once it answers PING. */
  void startProcess() throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--daemonize", "no", "--dir", dir.toString(),
        "--logfile", dir.resolve("redis.log").toString()));
    if (appendOnlyAlways) {
      command.addAll(List.of("--appendonly", "yes", "--appendfsync", "always"));
    } else {
      command.addAll(List.of("--appendonly", "no"));
    }
    command.addAll(extraArgs);
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("stdout.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!"+PONG".equals(ping())) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited with " + process.exitValue() + ": " + log());
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("redis-server on port " + port + " did not answer PING: " + log());
      }
      Thread.sleep(20);
    }
  }

  /** SIGKILL: a crash, nothing flushed beyond what the persistence setting already wrote. */
  void crash() throws InterruptedException {
    resume();
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGSTOP: the server keeps its connections but answers nothing. */
  void pause() throws IOException, InterruptedException {
    signal("-STOP");
    paused = true;
  }

  /** SIGCONT. */
  void resume() throws InterruptedException {
    if (paused) {
      try {
        signal("-CONT");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      paused = false;
    }
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill " + signal + " failed");
    }
  }

  private String ping() {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\r') {
        line.append((char) c);
      }
      return line.toString();
    } catch (IOException e) {
      return "";
    }
  }

  private String log() {
    try {
      Path log = dir.resolve("redis.log");
      return Files.exists(log) ? Files.readString(log) : Files.readString(dir.resolve("stdout.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    try {
      if (process != null) {
        crash();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      deleteDir();
    }
  }

  private void deleteDir() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort: a temporary directory
    }
  }
}
