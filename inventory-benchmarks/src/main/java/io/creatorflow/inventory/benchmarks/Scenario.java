package io.creatorflow.inventory.benchmarks;

import java.io.PrintStream;
import java.util.List;

/** One scenario of the runner: measures and returns its figures; never fails for an unreachable store. */
public interface Scenario {

  /** The scenario's name on the command line and in figure names. */
  String name();

  /** Runs the scenario. Figures that could not be measured are returned as skipped. */
  List<Result> run(Context context) throws Exception;

  /** What a scenario runs with. */
  record Context(Options options, PrintStream log) {
    /** A progress line on the log (standard error), not part of the results. */
    public void progress(String format, Object... args) {
      log.printf("[%tT] %s%n", System.currentTimeMillis(), String.format(java.util.Locale.ROOT, format, args));
      log.flush();
    }
  }
}
