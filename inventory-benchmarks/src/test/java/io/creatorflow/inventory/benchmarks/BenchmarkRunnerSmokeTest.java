package io.creatorflow.inventory.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's only benchmark test: the scenario runner in its tiny smoke mode on the in-memory store
 * (a second or two), and an unreachable store reported as skipped. No JMH run, nothing heavy.
 */
@DisplayName("The benchmark runner")
class BenchmarkRunnerSmokeTest {

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      code = BenchmarkRunner.run(args, o, e);
    }
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("runs a flash sale on the in-memory store, prints a Markdown table and writes the same figures as JSON")
  void flashSaleOnTheInMemoryStore(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("out.json");
    Run run = run("--smoke", "--stores", "memory", "--scenarios", "flash-sale", "--json", json.toString());

    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("| Figure | SDK | Seed-style baseline |"), run.out());
    assertTrue(run.out().contains("| flash-sale/memory/throughput |"), run.out());
    JsonNode figures = new ObjectMapper().readTree(json.toFile());
    assertTrue(figures.isArray());
    Map<String, JsonNode> byName = new HashMap<>();
    figures.forEach(f -> byName.put(f.get("name").asText(), f));
    assertTrue(byName.get("flash-sale/memory/throughput").get("value").asDouble() > 0);
    assertEquals("reservations/s", byName.get("flash-sale/memory/throughput").get("unit").asText());
    assertEquals(0, byName.get("flash-sale/memory/oversold").get("value").asDouble());
    assertEquals(1, byName.get("flash-sale/memory/ledger-consistent").get("value").asDouble());
    assertTrue(byName.containsKey("flash-sale/run-time"));
  }

  @Test
  @DisplayName("reports a store it cannot reach as skipped instead of failing")
  void unreachableStoreIsSkipped(@TempDir Path dir) throws Exception {
    Path json = dir.resolve("out.json");
    Run run = run("--smoke", "--stores", "postgresql", "--scenarios", "flash-sale", "--json", json.toString(),
        "--postgres-url", "jdbc:postgresql://127.0.0.1:1/nothing-listens-here");

    assertEquals(0, run.code(), run.err());
    JsonNode figures = new ObjectMapper().readTree(json.toFile());
    JsonNode throughput = null;
    for (JsonNode f : figures) {
      if (f.get("name").asText().equals("flash-sale/postgresql/throughput")) {
        throughput = f;
      }
    }
    assertTrue(throughput != null && throughput.get("value").isNull(), String.valueOf(throughput));
    assertTrue(throughput.get("skipped").asText().contains("not reachable"), throughput.toString());
    assertTrue(run.out().contains("| flash-sale/postgresql/throughput | skipped |"), run.out());
  }

  @Test
  @DisplayName("refuses an unknown argument with exit code 2 and the usage")
  void unknownArgument() throws Exception {
    Run run = run("--fast");
    assertEquals(2, run.code());
    assertTrue(run.err().contains("usage: java -jar inventory-benchmarks.jar"), run.err());
  }
}
