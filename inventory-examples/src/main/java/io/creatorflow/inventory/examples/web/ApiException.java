package io.creatorflow.inventory.examples.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP error answer of the REST API: a status, a machine-readable {@code error} code and a
 * human-readable message, written as {@code {"error": code, "message": ..., ...details}}.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final transient Map<String, @Nullable Object> details;

  /**
   * @param status the HTTP status, 400 to 599
   * @param code a lowercase code such as {@code not_found}
   * @param message what went wrong, naming the bad value; never a secret
   */
  public ApiException(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  /** As {@link #ApiException(int, String, String)} with extra fields for the JSON body. */
  public ApiException(int status, String code, String message, Map<String, ? extends @Nullable Object> details) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("an error status is 400 to 599, was " + status);
    }
    this.status = status;
    this.code = code;
    this.details = new LinkedHashMap<>(details);
  }

  /** 400 {@code invalid_request}. */
  public static ApiException badRequest(String message) {
    return new ApiException(400, "invalid_request", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The JSON body. */
  public Map<String, @Nullable Object> body() {
    Map<String, @Nullable Object> body = new LinkedHashMap<>();
    body.put("error", code);
    body.put("message", getMessage());
    body.putAll(details);
    return body;
  }
}
