package io.strand.server.api;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import io.strand.model.Span;
import io.strand.model.TraceId;
import io.strand.storage.TraceReader;
import java.util.List;
import java.util.function.Function;

/**
 * Reads the trace named by an id from a URL and renders it, or answers 400 for a malformed id and
 * 404 for an unknown one, in the error style of the API asking.
 */
public final class TraceLookup {

  /** How an API writes its errors. */
  public enum ErrorStyle {
    /** {@code {"error": "..."}}, Strand's own API. */
    JSON,
    /** Plain text, as Zipkin's API answers. */
    PLAIN
  }

  private TraceLookup() {}

  /**
   * Parses {@code idText}, reads the trace and hands its spans (never empty) to {@code renderer};
   * 400 for a malformed id, 404 for an unknown one.
   */
  public static HttpResponse render(TraceReader reader, String idText, ErrorStyle errors,
      Function<List<Span>, HttpResponse> renderer) {
    TraceId id;
    try {
      id = TraceId.fromHex(idText);
    } catch (IllegalArgumentException e) {
      return error(errors, HttpStatus.BAD_REQUEST, e.getMessage());
    }
    List<Span> spans = reader.getTrace(id);
    if (spans.isEmpty()) {
      return error(errors, HttpStatus.NOT_FOUND, "trace " + id.toHex() + " not found");
    }
    return renderer.apply(spans);
  }

  private static HttpResponse error(ErrorStyle style, HttpStatus status, String message) {
    return style == ErrorStyle.JSON ? JsonResponses.error(status, message)
        : HttpResponse.of(status, MediaType.PLAIN_TEXT_UTF_8, message);
  }
}
