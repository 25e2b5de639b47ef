package io.creatorflow.inventory.examples.web;

import io.creatorflow.inventory.HealthReport;
import io.creatorflow.inventory.InventoryEngine;
import io.creatorflow.inventory.TenantId;
import io.creatorflow.inventory.sync.SyncStats;
import java.util.List;
import java.util.Map;

/**
 * What the REST API and the status page read about the running service besides stock. The service
 * implements it; tests may supply their own.
 */
public interface ServiceState {

  /** The tenant the service acts for. */
  TenantId tenant();

  /** The engine. */
  InventoryEngine engine();

  /** Store, alerts, shop, sync and webhook processing; never throws. */
  HealthReport health();

  /** The shop sync's counters. */
  SyncStats syncStats();

  /** Labelled facts for the status page ("Store", "Shop", "Webhook events processed", ...), in order. */
  Map<String, String> facts();

  /** The latest alert notifications, newest first. */
  List<RecentAlerts.Entry> recentAlerts();
}
