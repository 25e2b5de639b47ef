package io.creatorflow.inventory.redis;

import io.creatorflow.inventory.memory.InMemoryStockStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random operation sequences against the Redis store and the reference {@link InMemoryStockStore}
 * must agree on every answer (see {@link DifferentialRun}).
 */
class ReferenceStoreDifferentialTest extends RedisStoreTestBase {
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void agreesWithTheReferenceStoreOnRandomOperations(long seed) {
    DifferentialRun run = new DifferentialRun(seed, newStore(), new InMemoryStockStore());
    run.run(260);
    run.assertExercisedEverything();
  }
}
