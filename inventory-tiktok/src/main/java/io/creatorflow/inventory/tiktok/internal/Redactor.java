package io.creatorflow.inventory.tiktok.internal;

import java.util.Collection;
import org.jspecify.annotations.Nullable;

/** Removes secrets from text that came from outside (server messages) before it is logged or thrown. */
public final class Redactor {
  /** Longer server messages are cut to this many characters. */
  public static final int MAX_MESSAGE_LENGTH = 500;

  private Redactor() {}

  /** {@code text} with every occurrence of a secret (of 4 characters or more) replaced by {@code ****}. */
  public static @Nullable String redact(@Nullable String text, Collection<String> secrets) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 4) {
        out = out.replace(secret, "****");
      }
    }
    if (out.length() > MAX_MESSAGE_LENGTH) {
      out = out.substring(0, MAX_MESSAGE_LENGTH) + "…";
    }
    return out;
  }
}
