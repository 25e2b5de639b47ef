package io.creatorflow.inventory;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a query's result.
 *
 * @param items the rows of this page
 * @param total the number of rows matching the query across all pages (not this page's size)
 * @param request the page that was asked for
 */
public record Page<T>(List<T> items, long total, PageRequest request) {
  public Page {
    items = List.copyOf(items);
    if (total < items.size()) {
      throw new IllegalArgumentException("total " + total + " is less than the page size " + items.size());
    }
  }

  public static <T> Page<T> empty(PageRequest request) {
    return new Page<>(List.of(), 0, request);
  }

  /** Whether rows follow this page. */
  public boolean hasNext() {
    return (long) request.offset() + items.size() < total;
  }

  public <R> Page<R> map(Function<? super T, ? extends R> f) {
    return new Page<>(items.stream().<R>map(f).toList(), total, request);
  }

  /**
   * Cuts one page from a complete, ordered list of matches; for stores that filter in memory.
   */
  public static <T> Page<T> slice(List<T> all, PageRequest request) {
    int from = Math.min(all.size(), request.offset());
    int to = Math.min(all.size(), from + request.limit());
    return new Page<>(all.subList(from, to), all.size(), request);
  }
}
