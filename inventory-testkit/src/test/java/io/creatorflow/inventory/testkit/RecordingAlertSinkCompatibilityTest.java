package io.creatorflow.inventory.testkit;

import io.creatorflow.inventory.AlertEvent;
import io.creatorflow.inventory.spi.AlertSink;
import java.util.List;
import java.util.Optional;

/** The testkit's own fake sink keeps the sink contract. */
class RecordingAlertSinkCompatibilityTest extends AlertSinkCompatibilityKit {
  @Override
  protected AlertSink createSink() {
    return new RecordingAlertSink();
  }

  @Override
  protected Optional<List<AlertEvent>> deliveredEvents(AlertSink sink) {
    return Optional.of(((RecordingAlertSink) sink).events());
  }

  @Override
  protected boolean failDeliveries(AlertSink sink, boolean fail) {
    ((RecordingAlertSink) sink).failNext(fail ? Integer.MAX_VALUE : 0);
    return true;
  }
}
