package io.creatorflow.inventory;

import java.util.List;

/**
 * The result of replaying a tenant's ledger against its balances.
 *
 * @param skusChecked SKUs replayed
 * @param movementsChecked ledger rows replayed
 * @param discrepancies every SKU whose ledger does not explain its balance; empty when all is well
 */
public record LedgerReport(int skusChecked, long movementsChecked, List<Discrepancy> discrepancies) {
  public LedgerReport {
    discrepancies = List.copyOf(discrepancies);
  }

  public boolean consistent() {
    return discrepancies.isEmpty();
  }

  /**
   * A SKU whose ledger does not explain its balance.
   *
   * @param ledgerOnHand on hand according to the ledger
   * @param ledgerReserved reserved according to the ledger
   * @param problem what is wrong, in words
   */
  public record Discrepancy(
      Sku sku, long ledgerOnHand, long ledgerReserved, long actualOnHand, long actualReserved, String problem) {}
}
