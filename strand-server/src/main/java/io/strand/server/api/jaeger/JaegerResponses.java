package io.strand.server.api.jaeger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import io.strand.model.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Jaeger's response envelope, {@code {"data", "total", "limit", "offset", "errors"}}, for data,
 * traces and errors ({@code "errors": [{"code": 400, "msg": "..."}]} with {@code "data": null}).
 * As in Jaeger, {@code total} counts the items of list answers and is 0 for traces.
 */
final class JaegerResponses {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory JSON = new JsonFactory();

  private JaegerResponses() {}

  /** A list answer: {@code data} is the list, {@code total} its size. */
  static HttpResponse list(List<?> data) {
    return envelope(HttpStatus.OK, data, data.size(), null);
  }

  /** An error answer with {@code status}, the message naming what was wrong. */
  static HttpResponse error(HttpStatus status, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", status.code());
    error.put("msg", message);
    return envelope(status, null, 0, List.of(error));
  }

  /**
   * Traces, each as {@link JaegerTraceWriter} writes it, and for trace ids asked for but not
   * found, errors {@code {"msg": "trace not found", "traceID": ...}} as Jaeger gives them.
   */
  static HttpResponse traces(List<List<Span>> traces, List<String> missingTraceIds) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("data");
      for (List<Span> trace : traces) {
        JaegerTraceWriter.trace(g, trace);
      }
      g.writeEndArray();
      g.writeNumberField("total", 0);
      g.writeNumberField("limit", 0);
      g.writeNumberField("offset", 0);
      if (missingTraceIds.isEmpty()) {
        g.writeNullField("errors");
      } else {
        g.writeArrayFieldStart("errors");
        for (String id : missingTraceIds) {
          g.writeStartObject();
          g.writeStringField("msg", "trace not found");
          g.writeStringField("traceID", id);
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, out.toByteArray());
  }

  private static HttpResponse envelope(HttpStatus status, Object data, int total,
      List<?> errors) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("data", data);
    body.put("total", total);
    body.put("limit", 0);
    body.put("offset", 0);
    body.put("errors", errors);
    try {
      return HttpResponse.of(status, MediaType.JSON_UTF_8, MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON response", e);
    }
  }
}
