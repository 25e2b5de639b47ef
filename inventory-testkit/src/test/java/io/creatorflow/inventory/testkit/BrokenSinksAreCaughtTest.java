package io.creatorflow.inventory.testkit;

import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.spi.AlertSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The sink kit fails on sinks that break its contract. */
@DisplayName("the sink kit catches broken sinks")
class BrokenSinksAreCaughtTest {

  /** Appends with a non-atomic read-modify-write: concurrent deliveries overwrite each other. */
  static final class UnsafeSink implements AlertSink {
    private final AlertEvent[] events = new AlertEvent[100_000];
    private int count;

    @Override
    public void deliver(AlertEvent event) {
      int n = count;
      Thread.yield();
      events[n] = event;
      count = n + 1;
    }

    synchronized List<AlertEvent> delivered() {
      List<AlertEvent> out = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        out.add(events[i]);
      }
      return out;
    }
  }

  /** Swallows its destination's failures instead of throwing, so nothing is ever retried. */
  static final class SwallowingSink implements AlertSink {
    final RecordingAlertSink destination = new RecordingAlertSink();

    @Override
    public void deliver(AlertEvent event) {
      try {
        destination.deliver(event);
      } catch (RuntimeException e) {
        // "best effort": the defect
      }
    }
  }

  static final class UnsafeSinkKit extends AlertSinkCompatibilityKit {
    @Override
    protected AlertSink createSink() {
      return new UnsafeSink();
    }

    @Override
    protected Optional<List<AlertEvent>> deliveredEvents(AlertSink sink) {
      return Optional.of(((UnsafeSink) sink).delivered());
    }
  }

  static final class SwallowingSinkKit extends AlertSinkCompatibilityKit {
    @Override
    protected AlertSink createSink() {
      return new SwallowingSink();
    }

    @Override
    protected Optional<List<AlertEvent>> deliveredEvents(AlertSink sink) {
      return Optional.of(((SwallowingSink) sink).destination.events());
    }

    @Override
    protected boolean failDeliveries(AlertSink sink, boolean fail) {
      ((SwallowingSink) sink).destination.failNext(fail ? Integer.MAX_VALUE : 0);
      return true;
    }
  }

  @Test
  @DisplayName("a sink that is not thread-safe loses notifications delivered concurrently")
  void unsafeSink() {
    KitRun.of(UnsafeSinkKit.class).assertCaughtBy("concurrent delivery");
  }

  @Test
  @DisplayName("a sink that swallows its destination's failures is never retried")
  void swallowingSink() {
    KitRun.of(SwallowingSinkKit.class).assertCaughtBy("reporting failures", "plugged into an engine");
  }
}
