package io.creatorflow.inventory.benchmarks;

import io.creatorflow.inventory.benchmarks.scenarios.ApiScenario;
import io.creatorflow.inventory.benchmarks.scenarios.FlashSaleScenario;
import io.creatorflow.inventory.benchmarks.scenarios.ReconcileScenario;
import io.creatorflow.inventory.benchmarks.scenarios.SyncScenario;
import io.creatorflow.inventory.benchmarks.scenarios.WebhookScenario;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scenario runner: runs the selected scenarios one after the other in this process, prints the
 * figures as a Markdown table on standard output (progress goes to standard error), and writes them
 * as JSON when asked.
 *
 * <pre>
 * java -jar inventory-benchmarks/target/inventory-benchmarks.jar --quick --json out.json
 * </pre>
 *
 * Exit code 0 when every scenario ran (figures of unreachable stores are reported as skipped), 1 when a
 * scenario failed (reported as skipped with the failure), 2 for a bad command line.
 */
public final class BenchmarkRunner {
  private BenchmarkRunner() {}

  public static void main(String[] args) throws Exception {
    int code = run(args, System.out, System.err);
    System.exit(code);
  }

  /** {@link #main} returning the exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(Options.USAGE);
      return 2;
    }
    for (String a : args) {
      if (a.equals("--help") || a.equals("-h")) {
        out.println(Options.USAGE);
        return 0;
      }
    }
    Scenario.Context context = new Scenario.Context(options, err);
    Map<String, String> machine = Machine.describe();
    context.progress("inventory benchmarks, %s mode: %s", options.mode().name().toLowerCase(Locale.ROOT), machine);
    List<Result> results = new ArrayList<>();
    boolean failed = false;
    for (String name : options.scenarios()) {
      Scenario scenario = scenario(name);
      double loadBefore = Machine.loadAverage();
      long t0 = System.nanoTime();
      try {
        results.addAll(scenario.run(context));
      } catch (Exception | AssertionError e) {
        failed = true;
        context.progress("scenario %s failed: %s", name, e);
        e.printStackTrace(err);
        results.add(Result.skipped(name + "/failed", "-", "the scenario failed: " + BenchStores.rootMessage(e)));
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double loadAfter = Machine.loadAverage();
      results.add(Result.of(name + "/run-time", seconds, "s", String.format(Locale.ROOT,
          "whole scenario incl. set-up; 1-min load average %.2f before, %.2f after", loadBefore, loadAfter)));
      context.progress("scenario %s done in %.1f s (load %.2f -> %.2f)", name, seconds, loadBefore, loadAfter);
    }
    StringBuilder md = new StringBuilder();
    md.append("Machine: ");
    machine.forEach((k, v) -> md.append(k).append(' ').append(v).append("; "));
    md.append("mode ").append(options.mode().name().toLowerCase(Locale.ROOT)).append(".\n\n");
    md.append(Report.markdown(results));
    out.print(md);
    out.flush();
    if (options.markdown() != null) {
      Report.write(options.markdown(), md.toString());
    }
    if (options.json() != null) {
      Report.write(options.json(), Report.json(results));
      context.progress("figures written to %s", options.json().toAbsolutePath());
    }
    return failed ? 1 : 0;
  }

  private static Scenario scenario(String name) {
    return switch (name) {
      case "flash-sale" -> new FlashSaleScenario();
      case "sync" -> new SyncScenario();
      case "reconcile" -> new ReconcileScenario();
      case "webhooks" -> new WebhookScenario();
      case "api" -> new ApiScenario();
      default -> throw new IllegalArgumentException("unknown scenario " + name);
    };
  }
}
