package io.creatorflow.inventory.tiktok.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 and lowercase hex, as TikTok Shop uses them for request signs and webhooks. */
public final class Hmacs {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Hmacs() {}

  /** A fresh HMAC-SHA256 keyed with {@code key}; a {@link Mac} is not thread-safe, so one per use. */
  public static Mac hmacSha256(String key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      // Every Java platform must provide HmacSHA256; an empty key is the only other failure.
      throw new IllegalStateException("HmacSHA256 unavailable or key rejected", e);
    }
  }

  /** Lowercase hexadecimal, two characters per byte. */
  public static String lowerHex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
      out[2 * i + 1] = HEX[bytes[i] & 0xF];
    }
    return new String(out);
  }

  /**
   * Compares an expected lowercase hex digest with a received one in time that does not depend on
   * where they differ. The received value is compared as ASCII bytes, so an uppercase or otherwise
   * different spelling does not match.
   */
  public static boolean hexEquals(String expectedLowerHex, String received) {
    return MessageDigest.isEqual(
        expectedLowerHex.getBytes(StandardCharsets.US_ASCII), received.getBytes(StandardCharsets.UTF_8));
  }
}
