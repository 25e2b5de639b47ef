package io.creatorflow.inventory;

import io.creatorflow.inventory.internal.Checks;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A catalog search. Rows come sorted by SKU.
 *
 * @param status only items with this status, or {@code null} for all
 * @param text case-insensitive substring of the name or SKU, or {@code null}; every character is
 *     literal ({@code %}, {@code _} and {@code *} match only themselves)
 * @param page which rows
 */
public record CatalogQuery(@Nullable StockStatus status, @Nullable String text, PageRequest page) {
  public static final int MAX_TEXT_LENGTH = 200;

  public CatalogQuery {
    Checks.notNull(page, "page");
    if (text != null) {
      if (text.length() > MAX_TEXT_LENGTH) {
        throw new InvalidRequestException(
            "search text must be at most " + MAX_TEXT_LENGTH + " characters, was " + text.length());
      }
      text = text.isBlank() ? null : text.strip();
    }
  }

  /** Every item, first page. */
  public static CatalogQuery all() {
    return new CatalogQuery(null, null, PageRequest.first());
  }

  public CatalogQuery withStatus(@Nullable StockStatus status) {
    return new CatalogQuery(status, text, page);
  }

  public CatalogQuery withText(@Nullable String text) {
    return new CatalogQuery(status, text, page);
  }

  public CatalogQuery withPage(PageRequest page) {
    return new CatalogQuery(status, text, page);
  }

  /**
   * Whether an item matches the text part of this query; the reference semantics stores must keep.
   */
  public boolean matchesText(CatalogItem item) {
    if (text == null) {
      return true;
    }
    String needle = text.toLowerCase(Locale.ROOT);
    return item.name().toLowerCase(Locale.ROOT).contains(needle)
        || item.sku().value().toLowerCase(Locale.ROOT).contains(needle);
  }
}
