package io.creatorflow.inventory.sync.internal;

import io.creatorflow.inventory.sync.SyncListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Fans events out to {@link SyncListener}s; a listener's exception is logged and swallowed. Thread-safe. */
public final class SyncListeners {
  private static final Logger log = LoggerFactory.getLogger(SyncListeners.class);
  private final CopyOnWriteArrayList<SyncListener> listeners;

  public SyncListeners(List<SyncListener> initial) {
    this.listeners = new CopyOnWriteArrayList<>(initial);
  }

  public AutoCloseable add(SyncListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  public void fire(Consumer<SyncListener> event) {
    for (SyncListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        log.warn("sync listener {} failed: {}", listener, e.toString());
      }
    }
  }
}
