package io.creatorflow.inventory.jdbc;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Optional;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips a class's jqwik properties (the compatibility kit's model check) when its database cannot
 * be reached, as JUnit Jupiter skips its tests through {@link TestDatabase#isolate()}: jqwik would
 * otherwise count every aborted try as a rejection and fail the property. Under {@code CI=true}
 * nothing is skipped, so the property fails loudly instead.
 */
final class SkipUnreachableDatabase implements SkipExecutionHook {

  /** The database a test class needs; read by {@link SkipUnreachableDatabase}. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @interface Needs {
    TestDatabase value();
  }

  @Override
  public SkipResult shouldBeSkipped(LifecycleContext context) {
    Optional<Needs> needs = context.optionalContainerClass().map(c -> c.getAnnotation(Needs.class));
    if (needs.isEmpty() || TestDatabase.ci()) {
      return SkipResult.doNotSkip();
    }
    return needs.get().value().unreachable().map(SkipResult::skip).orElse(SkipResult.doNotSkip());
  }
}
