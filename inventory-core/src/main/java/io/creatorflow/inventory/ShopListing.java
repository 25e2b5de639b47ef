package io.creatorflow.inventory;

import io.creatorflow.inventory.internal.Checks;

/**
 * Where a SKU is sold: a channel and the channel's own ids for it. For TikTok Shop the channel is
 * {@code "tiktok"}, {@code productId} is the shop's {@code product_id} and {@code skuId} the SKU
 * {@code id}.
 *
 * @param channel the sales channel, 1 to 64 characters
 * @param productId the channel's product id, 1 to 128 characters
 * @param skuId the channel's SKU id, 1 to 128 characters; unique per tenant and channel
 */
public record ShopListing(String channel, String productId, String skuId) {
  public ShopListing {
    Checks.identifier(channel, "listing channel", 64);
    Checks.identifier(productId, "listing product id", 128);
    Checks.identifier(skuId, "listing sku id", 128);
  }

  public static ShopListing of(String channel, String productId, String skuId) {
    return new ShopListing(channel, productId, skuId);
  }
}
