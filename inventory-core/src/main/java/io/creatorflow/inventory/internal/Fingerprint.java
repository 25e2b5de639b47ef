package io.creatorflow.inventory.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Digests a request's fields into the fingerprint recorded with its idempotency key. Fields are
 * length-prefixed so that no two different field lists share an encoding. Not thread-safe.
 */
public final class Fingerprint {
  private final StringBuilder text = new StringBuilder(128);

  private Fingerprint(String operation) {
    add(operation);
  }

  public static Fingerprint of(String operation) {
    return new Fingerprint(operation);
  }

  public Fingerprint add(@Nullable Object field) {
    if (field == null) {
      text.append("-1:");
    } else {
      String s = field.toString();
      text.append(s.length()).append(':').append(s);
    }
    return this;
  }

  /** The SHA-256 of the fields, lowercase hex. */
  public String digest() {
    MessageDigest sha = SHA_256.get();
    sha.reset();
    return HexFormat.of().formatHex(sha.digest(text.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * One digest per thread: looking a digest up in the security providers costs more than hashing a
   * request's few dozen bytes. {@link MessageDigest#digest(byte[])} completes and resets it, so a
   * thread never sees another fingerprint's state.
   */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
    }
  });
}
