package io.creatorflow.inventory;

/** A catalog item together with its stock level and status, as catalog queries return it. */
public record ItemStock(CatalogItem item, StockLevel level, StockStatus status) {}
