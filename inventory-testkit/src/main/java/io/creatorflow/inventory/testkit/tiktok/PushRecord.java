package io.creatorflow.inventory.testkit.tiktok;

import java.time.Instant;

/** One warehouse quantity the client set through update-inventory and the emulator applied. */
public record PushRecord(String productId, String skuId, String warehouseId, long quantity, Instant at) {}
