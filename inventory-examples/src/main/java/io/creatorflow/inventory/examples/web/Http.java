package io.creatorflow.inventory.examples.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Request and response helpers shared by the servlets. */
final class Http {
  private Http() {}

  /** The JSON mapper of the API: strict on input (see {@link InventoryApiServlet}), plain on output. */
  static final ObjectMapper MAPPER = strict(JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonParser.Feature.ALLOW_COMMENTS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .build());

  private static ObjectMapper strict(ObjectMapper mapper) {
    // No silent conversions: "5" is not a number, 5 is not text, 1.5 is not a whole number.
    mapper.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    return mapper;
  }

  /**
   * How much of an oversized body is read and thrown away before answering 413, so that the client
   * (still sending) sees the answer instead of a reset connection; larger bodies are cut off.
   */
  static final int DISCARD_LIMIT = 1024 * 1024;

  /**
   * Reads the whole body, refusing more than {@code max} bytes with 413 (by the declared length
   * before reading anything, else once the limit is crossed).
   */
  static byte[] body(HttpServletRequest req, int max) throws IOException {
    long declared = req.getContentLengthLong();
    try (InputStream in = req.getInputStream()) {
      if (declared > max) {
        discard(in, 0, declared);
        throw tooLarge(max);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(0, Math.min(declared, max)));
      byte[] buf = new byte[8192];
      int total = 0;
      int n;
      while ((n = in.read(buf)) != -1) {
        total += n;
        if (total > max) {
          discard(in, total, declared);
          throw tooLarge(max);
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    }
  }

  /**
   * Reads and drops the rest of a body if it ends within {@link #DISCARD_LIMIT} bytes in all;
   * otherwise leaves it, and the connection is closed after the answer.
   *
   * @param alreadyRead bytes of the body read so far
   * @param declared the declared length, or -1 if unknown
   */
  static void discard(InputStream in, long alreadyRead, long declared) throws IOException {
    if (declared > DISCARD_LIMIT) {
      return;
    }
    long left = DISCARD_LIMIT - alreadyRead;
    byte[] buf = new byte[8192];
    int n;
    while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) != -1) {
      left -= n;
    }
  }

  /**
   * Reads and drops whatever is left of the request body (within {@link #DISCARD_LIMIT}) before an
   * error is answered. A request refused before its body was read (bad path, wrong method) would
   * otherwise leave unread bytes behind, and the server closes such a connection after the answer:
   * a keep-alive client that sends its next request on it gets no response at all.
   */
  static void skipBody(HttpServletRequest req) {
    try {
      discard(req.getInputStream(), 0, req.getContentLengthLong());
    } catch (IOException | IllegalStateException e) {
      // The body cannot be read (the client went away, or it was read as text): the connection is
      // closed after the answer, which is all that can be done.
    }
  }

  /**
   * For a servlet's {@code service}: reads the rest of the body ({@link #skipBody}) of a request whose
   * method is not one of {@code handled}, which {@link jakarta.servlet.http.HttpServlet} refuses with
   * 405 without reading it.
   */
  static void skipBodyUnless(HttpServletRequest req, String... handled) {
    for (String method : handled) {
      if (method.equals(req.getMethod())) {
        return;
      }
    }
    skipBody(req);
  }

  private static ApiException tooLarge(int max) {
    return new ApiException(413, "payload_too_large", "the request body exceeds the limit of " + max + " bytes");
  }

  /** Whether the request declares a JSON body ({@code application/json}, any parameters). */
  static boolean isJson(HttpServletRequest req) {
    String type = req.getContentType();
    if (type == null) {
      return false;
    }
    String mime = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return mime.equals("application/json");
  }

  /** Writes {@code body} as JSON with {@code status}; the response is never cached. */
  static void json(HttpServletResponse resp, int status, Object body) throws IOException {
    byte[] bytes = MAPPER.writeValueAsBytes(body);
    resp.setStatus(status);
    resp.setContentType("application/json;charset=utf-8");
    resp.setHeader("Cache-Control", "no-store");
    resp.setHeader("X-Content-Type-Options", "nosniff");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }

  /** Writes an error as {@code {"error": ..., "message": ...}}. */
  static void error(HttpServletResponse resp, ApiException e) throws IOException {
    if (e.status() == 405 && e.body().get("allow") instanceof String allow) {
      resp.setHeader("Allow", allow);
    }
    json(resp, e.status(), e.body());
  }

  /**
   * The path below {@code prefix}, split into percent-decoded segments, so that a SKU containing
   * {@code /} can be addressed as {@code %2F}. Empty segments (a trailing slash) are dropped.
   */
  static List<String> segments(HttpServletRequest req, String prefix) {
    String raw = req.getRequestURI();
    String context = req.getContextPath();
    if (context != null && !context.isEmpty() && raw.startsWith(context)) {
      raw = raw.substring(context.length());
    }
    if (raw.startsWith(prefix)) {
      raw = raw.substring(prefix.length());
    }
    List<String> out = new ArrayList<>();
    for (String part : raw.split("/")) {
      if (!part.isEmpty()) {
        try {
          out.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          throw ApiException.badRequest("the path segment '" + part + "' is not valid percent-encoding");
        }
      }
    }
    return out;
  }
}
