package io.creatorflow.inventory.jdbc.internal;

import io.creatorflow.inventory.InvalidRequestException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@link io.creatorflow.inventory.spi.LeaseStore} table: one row per lease, taken by a
 * conditional UPDATE (free, expired or already ours) or, for a new lease, by an INSERT that the
 * primary key lets only one instance win. Thread-safe (stateless).
 */
public final class Leases {
  static final int MAX_NAME_LENGTH = 128;
  static final int MAX_OWNER_LENGTH = 255;

  private final Db db;

  public Leases(Db db) {
    this.db = db;
  }

  public boolean tryAcquire(String lease, String owner, Instant now, Duration ttl) {
    check(lease, owner);
    long expiresAt = Codec.nanos(now.plus(ttl));
    return db.withHandle("acquire a lease", h -> {
      int taken = h.createUpdate(db.sql().takeLease())
          .bind("owner", owner)
          .bind("expiresAt", expiresAt)
          .bind("lease", lease)
          .bind("now", Codec.nanos(now))
          .execute();
      if (taken == 1) {
        return true;
      }
      if (db.insertIfAbsent(h, db.sql().insertLease(), 1, insert -> insert
          .bind("lease", lease)
          .bind("owner", owner)
          .bind("expiresAt", expiresAt))) {
        return true;
      }
      // Held by someone else; or held by us already and the driver counts changed rather than matched
      // rows, so that a renewal to the same expiry reported 0.
      Optional<String> holder = h.createQuery(db.sql().leaseOwner()).bind("lease", lease).mapTo(String.class).findOne();
      return holder.isPresent() && holder.get().equals(owner);
    });
  }

  public void release(String lease, String owner) {
    check(lease, owner);
    db.withHandle("release a lease", h -> h.createUpdate(db.sql().releaseLease())
        .bind("lease", lease)
        .bind("owner", owner)
        .execute());
  }

  private static void check(String lease, String owner) {
    if (lease.isEmpty() || lease.length() > MAX_NAME_LENGTH) {
      throw new InvalidRequestException("lease name must be 1 to " + MAX_NAME_LENGTH + " characters, was "
          + lease.length());
    }
    if (owner.isEmpty() || owner.length() > MAX_OWNER_LENGTH) {
      throw new InvalidRequestException("lease owner must be 1 to " + MAX_OWNER_LENGTH + " characters, was "
          + owner.length());
    }
  }
}
