package io.creatorflow.inventory.sync;

/**
 * How far a reconciliation has come, after each catalog page.
 *
 * @param pages catalog pages read so far
 * @param done shop SKUs compared so far
 * @param total the catalog size the shop reports (for some shops, such as TikTok Shop, a count of
 *     products rather than SKUs), or 0 if it reports none
 * @param drifts SKUs found drifted so far
 * @param repairsPending repairs queued and not yet answered
 */
public record ReconcileProgress(int pages, long done, long total, long drifts, int repairsPending) {}
