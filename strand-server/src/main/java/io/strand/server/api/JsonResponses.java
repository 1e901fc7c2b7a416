package io.strand.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import java.util.Map;

/** Small JSON responses, errors always as {@code {"error": "..."}} with the status. */
public final class JsonResponses {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonResponses() {}

  /** 200 with {@code value} as JSON. */
  public static HttpResponse ok(Object value) {
    return of(HttpStatus.OK, value);
  }

  /** {@code status} with {@code {"error": message}}. */
  public static HttpResponse error(HttpStatus status, String message) {
    return of(status, Map.of("error", message));
  }

  /** {@code status} with {@code value} as JSON. */
  public static HttpResponse of(HttpStatus status, Object value) {
    try {
      return HttpResponse.of(status, MediaType.JSON_UTF_8, MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON response", e);
    }
  }
}
