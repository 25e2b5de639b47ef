package io.creatorflow.inventory;


/**
 * Which slice of a result to return.
 *
 * @param offset rows to skip, 0 to {@value #MAX_OFFSET}
 * @param limit rows to return, 1 to {@value #MAX_LIMIT}
 */
public record PageRequest(int offset, int limit) {
  public static final int MAX_LIMIT = 500;
  public static final int MAX_OFFSET = 10_000_000;
  public static final int DEFAULT_LIMIT = 50;

  public PageRequest {
    if (offset < 0 || offset > MAX_OFFSET) {
      throw new InvalidRequestException("offset must be between 0 and " + MAX_OFFSET + ", was " + offset);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
  }

  public static PageRequest of(int offset, int limit) {
    return new PageRequest(offset, limit);
  }

  /** The first {@value #DEFAULT_LIMIT} rows. */
  public static PageRequest first() {
    return new PageRequest(0, DEFAULT_LIMIT);
  }

  public static PageRequest first(int limit) {
    return new PageRequest(0, limit);
  }

  /** The page after this one. */
  public PageRequest next() {
    return new PageRequest(Math.min(MAX_OFFSET, offset + limit), limit);
  }

}
