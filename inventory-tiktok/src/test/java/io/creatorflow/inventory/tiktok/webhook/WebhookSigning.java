package io.creatorflow.inventory.tiktok.webhook;

import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Signs test webhooks as TikTok does, independently of the code under test. */
final class WebhookSigning {
  private WebhookSigning() {}

  static String sign(String appKey, String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(appKey.getBytes(StandardCharsets.UTF_8));
      byte[] out = mac.doFinal(body);
      StringBuilder sb = new StringBuilder();
      for (byte b : out) {
        sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return sb.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
