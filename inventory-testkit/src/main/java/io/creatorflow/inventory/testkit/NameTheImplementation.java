package io.creatorflow.inventory.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.AssertionFailedError;

/**
 * Prefixes a kit test's assertion failure with the name of the subclass that ran it, such as {@code
 * [PostgresStockStoreCompatibilityTest]}: build tools report the kit's {@code @Nested} groups under
 * the kit's own class name, so without it a project testing several stores could not tell which one
 * failed. The original error stays the cause; expected and actual values are kept for IDE diffs.
 */
final class NameTheImplementation implements TestExecutionExceptionHandler {

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
    String name = context.getTestInstances()
        .map(instances -> instances.getAllInstances().get(0).getClass().getSimpleName()).orElse(null);
    if (name == null || !(thrown instanceof AssertionError) || String.valueOf(thrown.getMessage()).startsWith("[" + name + "]")) {
      throw thrown;
    }
    String message = "[" + name + "] " + thrown.getMessage();
    AssertionError named;
    if (thrown instanceof AssertionFailedError failed && failed.isExpectedDefined() && failed.isActualDefined()) {
      named = new AssertionFailedError(message, failed.getExpected().getValue(), failed.getActual().getValue(), thrown);
    } else {
      named = new AssertionError(message, thrown);
    }
    named.setStackTrace(thrown.getStackTrace());
    throw named;
  }
}
