package io.creatorflow.inventory.tiktok.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import org.jspecify.annotations.Nullable;

/**
 * The TikTok Shop Open API request sign: HMAC-SHA256 keyed with the app secret over {@code secret +
 * path + sorted(key + value) + body + secret}, lowercase hex.
 *
 * <p>Query values are signed <em>decoded</em> (as the caller holds them, before URL encoding); {@code
 * sign} and {@code access_token} are never signed; keys are sorted by their UTF-8 bytes; the body is
 * appended exactly as it is sent (nothing for a request without a body). Stateless and thread-safe.
 */
public final class RequestSigner {
  private RequestSigner() {}

  /**
   * Computes the sign.
   *
   * @param appSecret the app secret
   * @param path the request path, without host and query, e.g. {@code /authorization/202309/shops}
   * @param query decoded query parameters; {@code sign} and {@code access_token} are ignored
   * @param body the exact body bytes sent, or {@code null} for none
   */
  public static String sign(String appSecret, String path, Map<String, String> query, byte @Nullable [] body) {
    Mac mac = Hmacs.hmacSha256(appSecret);
    byte[] secret = appSecret.getBytes(StandardCharsets.UTF_8);
    mac.update(secret);
    mac.update(path.getBytes(StandardCharsets.UTF_8));
    List<String> keys = new ArrayList<>();
    for (String key : query.keySet()) {
      if (!key.equals("sign") && !key.equals("access_token")) {
        keys.add(key);
      }
    }
    keys.sort((a, b) -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8)));
    for (String key : keys) {
      mac.update(key.getBytes(StandardCharsets.UTF_8));
      mac.update(query.get(key).getBytes(StandardCharsets.UTF_8));
    }
    if (body != null) {
      mac.update(body);
    }
    mac.update(secret);
    return Hmacs.lowerHex(mac.doFinal());
  }
}
