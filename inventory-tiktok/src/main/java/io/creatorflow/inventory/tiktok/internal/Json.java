package io.creatorflow.inventory.tiktok.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reading TikTok JSON leniently and exactly: ids are read as strings whether they arrive as strings
 * or as numbers (even above 2^53, where a {@code double} would round them), absent fields are {@code
 * null}, lists are never {@code null}.
 */
public final class Json {
  private Json() {}

  /** A mapper that keeps big numbers exact. ObjectMapper is thread-safe once configured. */
  public static ObjectMapper newMapper() {
    return JsonMapper.builder()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
        .build();
  }

  /**
   * The field as text: strings as they are, integral numbers in full (never rounded), booleans as
   * {@code true}/{@code false}; {@code null} when absent, JSON {@code null}, an object, an array or a
   * fractional number.
   */
  public static @Nullable String text(JsonNode node, String field) {
    return asText(node.get(field));
  }

  /** {@link #text(JsonNode, String)} for a node itself. */
  public static @Nullable String asText(@Nullable JsonNode value) {
    if (value == null || value.isNull() || value.isContainerNode()) {
      return null;
    }
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    if (value.isNumber()) {
      BigDecimal d = value.decimalValue();
      try {
        return d.toBigIntegerExact().toString();
      } catch (ArithmeticException fractional) {
        return null;
      }
    }
    if (value.isBoolean()) {
      return String.valueOf(value.booleanValue());
    }
    return null;
  }

  /** The field as a non-empty id, or {@code null}. */
  public static @Nullable String id(JsonNode node, String field) {
    String s = text(node, field);
    return s == null || s.isEmpty() ? null : s;
  }

  /** The field as a long (numbers, or strings holding one); {@code fallback} when absent or not one. */
  public static long longValue(JsonNode node, String field, long fallback) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.longValue();
    }
    if (v.isTextual()) {
      try {
        return Long.parseLong(v.textValue().trim());
      } catch (NumberFormatException e) {
        return fallback;
      }
    }
    return fallback;
  }

  /** The field as a Unix-seconds time, or {@code null} when absent or not a number. */
  public static @Nullable Instant epochSeconds(JsonNode node, String field) {
    long v = longValue(node, field, Long.MIN_VALUE);
    return v == Long.MIN_VALUE || v < 0 ? null : Instant.ofEpochSecond(v);
  }

  /** The field as a boolean; {@code false} when absent. */
  public static boolean bool(JsonNode node, String field) {
    JsonNode v = node.get(field);
    if (v == null) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    return v.isTextual() && v.textValue().equalsIgnoreCase("true");
  }

  /** Maps each object element of the array field; an absent or non-array field gives an empty list. */
  public static <T> List<T> list(JsonNode node, String field, Function<JsonNode, @Nullable T> mapper) {
    JsonNode arr = node.get(field);
    List<T> out = new ArrayList<>();
    if (arr == null || !arr.isArray()) {
      return out;
    }
    for (JsonNode element : arr) {
      if (element.isObject()) {
        T mapped = mapper.apply(element);
        if (mapped != null) {
          out.add(mapped);
        }
      }
    }
    return out;
  }

  /** The page token of a response, {@code null} when absent or empty (the last page). */
  public static @Nullable String pageToken(JsonNode data) {
    String t = text(data, "next_page_token");
    return t == null || t.isEmpty() ? null : t;
  }
}
