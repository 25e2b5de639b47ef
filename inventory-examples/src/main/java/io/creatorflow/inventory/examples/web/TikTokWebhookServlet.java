package io.creatorflow.inventory.examples.web;

import io.creatorflow.inventory.tiktok.webhook.TikTokWebhookHandler;
import io.creatorflow.inventory.tiktok.webhook.WebhookResult;
import io.creatorflow.inventory.tiktok.webhook.WebhookVerdict;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives TikTok Shop webhooks ({@code POST}, mounted at {@code /webhooks/tiktok}) and answers within
 * TikTok's 3 seconds: the SDK's {@link TikTokWebhookHandler} checks the signature on the raw body in
 * constant time, parses, and records the event in the durable inbox (deduplicated by notification
 * id); the servlet answers with the handler's status and an empty body, then asks for the event to
 * be processed asynchronously. Nothing slow (no shop call, no stock change) happens before the
 * answer, and a processing failure never turns into a non-2xx answer that would make TikTok redeliver.
 *
 * <table>
 *   <caption>Answers</caption>
 *   <tr><th>Status</th><th>When</th></tr>
 *   <tr><td>200</td><td>recorded; or a duplicate of a recorded notification; or of no interest (an
 *       unknown type, another shop)</td></tr>
 *   <tr><td>400</td><td>correctly signed but not a TikTok notification</td></tr>
 *   <tr><td>401</td><td>missing or wrong signature, or too old / too far in the future</td></tr>
 *   <tr><td>413</td><td>body over the verifier's limit (refused by the declared length before parsing)</td></tr>
 *   <tr><td>503</td><td>the inbox could not record it: TikTok will redeliver</td></tr>
 *   <tr><td>405</td><td>any method but POST</td></tr>
 * </table>
 *
 * <p>Thread-safe.
 */
public final class TikTokWebhookServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TikTokWebhookServlet.class);

  private final transient TikTokWebhookHandler handler;
  private final int maxBodyBytes;
  private final transient Consumer<WebhookResult> results;
  private final transient Runnable onAccepted;

  /**
   * @param handler verifies and records deliveries
   * @param maxBodyBytes the verifier's body limit (larger bodies are refused before they are read)
   * @param results told every delivery's result, for metrics (for example {@code
   *     TikTokOrderEvents::record}); must not block
   * @param onAccepted called after a new event was recorded, to schedule its processing; must not block
   */
  public TikTokWebhookServlet(
      TikTokWebhookHandler handler, int maxBodyBytes, Consumer<WebhookResult> results, Runnable onAccepted) {
    this.handler = Objects.requireNonNull(handler, "handler");
    this.maxBodyBytes = maxBodyBytes;
    this.results = Objects.requireNonNull(results, "results");
    this.onAccepted = Objects.requireNonNull(onAccepted, "onAccepted");
  }

  /** Other methods get 405, after the body is read ({@link Http#skipBodyUnless}). */
  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
    Http.skipBodyUnless(req, "POST");
    super.service(req, resp);
  }

  @Override
  protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    WebhookResult result;
    long declared = req.getContentLengthLong();
    if (declared > maxBodyBytes) {
      // Refused before reading: what is read is only thrown away (up to a limit), so that the
      // sender sees the answer rather than a reset connection.
      Http.discard(req.getInputStream(), 0, declared);
      result = new WebhookResult(WebhookVerdict.REJECTED_TOO_LARGE, null,
          "declared length " + declared + " exceeds " + maxBodyBytes);
    } else {
      byte[] body = req.getInputStream().readNBytes(maxBodyBytes + 1);
      if (body.length > maxBodyBytes) {
        Http.discard(req.getInputStream(), body.length, declared);
      }
      List<String> auth = Collections.list(req.getHeaders("Authorization"));
      result = handler.handle(body, Map.of("Authorization", auth));
    }
    WebhookVerdict verdict = result.verdict();
    results.accept(result);
    resp.setStatus(result.httpStatus());
    resp.setContentLength(0);
    resp.flushBuffer();
    switch (verdict) {
      case ACCEPTED -> onAccepted.run();
      case REJECTED_SIGNATURE, REJECTED_STALE ->
          LOG.warn("TikTok webhook from {} refused ({}): {}", req.getRemoteAddr(), verdict, result.detail());
      case RETRY_LATER -> LOG.warn("TikTok webhook not recorded, answered 503 for a redelivery: {}", result.detail());
      default -> LOG.debug("TikTok webhook {}: {}", verdict, result.detail());
    }
  }
}
