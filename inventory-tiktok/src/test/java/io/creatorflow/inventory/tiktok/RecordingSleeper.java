package io.creatorflow.inventory.tiktok;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A sleeper that never waits: it records each wait and moves the test clock forward by it. */
public final class RecordingSleeper implements Sleeper {
  private final TestClock clock;
  private final List<Duration> waits = new CopyOnWriteArrayList<>();

  public RecordingSleeper(TestClock clock) {
    this.clock = clock;
  }

  @Override
  public void sleep(Duration duration) {
    waits.add(duration);
    clock.advance(duration);
  }

  public List<Duration> waits() {
    return List.copyOf(waits);
  }
}
