package io.creatorflow.inventory.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs a kit subclass programmatically on the JUnit Platform (Jupiter and jqwik engines) and
 * records which tests failed, grouped by the kit's {@code @Nested} group (jqwik properties are
 * grouped under {@value #PROPERTIES}).
 */
final class KitRun {
  static final String PROPERTIES = "properties (jqwik)";

  private final Class<?> kit;
  private final Map<String, List<String>> failuresByGroup = new TreeMap<>();
  private int succeeded;
  private int started;

  private KitRun(Class<?> kit) {
    this.kit = kit;
  }

  static KitRun of(Class<?> kit) {
    KitRun run = new KitRun(kit);
    LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(kit)).build();
    LauncherFactory.create().execute(request, run.new Listener());
    return run;
  }

  private final class Listener implements TestExecutionListener {
    private TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
      plan = testPlan;
    }

    @Override
    public void executionStarted(TestIdentifier id) {
      if (id.isTest()) {
        started++;
      }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
      if (!id.isTest()) {
        return;
      }
      if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
        succeeded++;
        return;
      }
      if (result.getStatus() != TestExecutionResult.Status.FAILED) {
        return;
      }
      String group = plan.getParent(id).filter(p -> p.getUniqueId().contains("nested-class:"))
          .map(TestIdentifier::getDisplayName).orElse(PROPERTIES);
      String cause = result.getThrowable().map(t -> String.valueOf(t.getMessage()).lines().findFirst().orElse("")).orElse("");
      failuresByGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(id.getDisplayName() + " -- " + cause);
    }
  }

  Set<String> failedGroups() {
    return new TreeSet<>(failuresByGroup.keySet());
  }

  int failures() {
    return failuresByGroup.values().stream().mapToInt(List::size).sum();
  }

  /** Asserts the kit failed, among others in every given group; prints what failed. */
  KitRun assertCaughtBy(String... groups) {
    System.out.println(summary());
    assertThat(started).as("tests the kit ran for %s", kit.getSimpleName()).isPositive();
    assertThat(failures()).as("failures of the kit on %s", kit.getSimpleName()).isPositive();
    assertThat(failedGroups()).as("groups that caught %s", kit.getSimpleName()).contains(groups);
    return this;
  }

  String summary() {
    StringBuilder sb = new StringBuilder(kit.getSimpleName() + ": " + started + " tests, " + succeeded + " passed, "
        + failures() + " failed");
    failuresByGroup.forEach((group, tests) -> {
      sb.append("\n  [").append(group).append("] ").append(tests.size()).append(" failed");
      tests.stream().limit(3).forEach(t -> sb.append("\n      ").append(t.length() > 160 ? t.substring(0, 160) + "..." : t));
    });
    return sb.toString();
  }
}
