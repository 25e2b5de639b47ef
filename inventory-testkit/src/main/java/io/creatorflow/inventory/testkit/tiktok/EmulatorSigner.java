package io.creatorflow.inventory.testkit.tiktok;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The emulator's own implementation of TikTok's signatures, written independently of the client's so
 * that a bug in one is not mirrored in the other.
 */
final class EmulatorSigner {
  private EmulatorSigner() {}

  /** The request sign: HMAC-SHA256(secret, secret + path + sorted key+value + body + secret), hex. */
  static String requestSign(String secret, String path, Map<String, String> decodedQuery, byte[] body) {
    List<String> keys = new ArrayList<>();
    for (String k : decodedQuery.keySet()) {
      if (!"sign".equals(k) && !"access_token".equals(k)) {
        keys.add(k);
      }
    }
    keys.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
    StringBuilder input = new StringBuilder(secret).append(path);
    for (String k : keys) {
      input.append(k).append(decodedQuery.get(k));
    }
    byte[] head = input.toString().getBytes(StandardCharsets.UTF_8);
    byte[] tail = secret.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[head.length + body.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    System.arraycopy(tail, 0, all, head.length + body.length, tail.length);
    return hex(hmac(secret, all));
  }

  /** The webhook signature: HMAC-SHA256(secret, appKey + body), hex. */
  static String webhookSignature(String appKey, String secret, byte[] body) {
    byte[] key = appKey.getBytes(StandardCharsets.UTF_8);
    byte[] all = Arrays.copyOf(key, key.length + body.length);
    System.arraycopy(body, 0, all, key.length, body.length);
    return hex(hmac(secret, all));
  }

  static boolean matches(String expected, String received) {
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), received.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(String secret, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(String.format("%02x", b & 0xff));
    }
    return sb.toString();
  }
}
