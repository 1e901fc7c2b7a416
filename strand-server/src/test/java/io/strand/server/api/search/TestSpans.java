package io.strand.server.api.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.QueryParamsBuilder;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.model.TraceId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Spans, clocks and responses for the read API unit tests. */
public final class TestSpans {
  /** A fixed "now" for the APIs under test: 2023-11-14T22:13:20Z. */
  public static final long NOW_MILLIS = 1_700_000_000_000L;
  public static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW_MILLIS), ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestSpans() {}

  /** A trace id whose every hex digit pair is {@code n}, e.g. {@code 0a0a...}. */
  public static TraceId traceId(int n) {
    long half = 0;
    for (int i = 0; i < 8; i++) {
      half = (half << 8) | (n & 0xff);
    }
    return new TraceId(half, half);
  }

  /**
   * A SERVER span of {@code service} named {@code name}, starting {@code minutesAgo} before
   * {@link #NOW_MILLIS} and lasting {@code millis}.
   */
  public static Span.Builder span(TraceId trace, long spanId, String service, String name,
      long minutesAgo, long millis) {
    long start = (NOW_MILLIS - minutesAgo * 60_000L) * 1_000_000L;
    return Span.builder(trace, spanId)
        .name(name)
        .kind(SpanKind.SERVER)
        .startTimeUnixNano(start)
        .endTimeUnixNano(start + millis * 1_000_000L)
        .resource(Resource.ofService(service));
  }

  /** Query parameters from name/value pairs. */
  public static QueryParams params(String... namesAndValues) {
    QueryParamsBuilder b = QueryParams.builder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return b.build();
  }

  /** The whole response. */
  public static AggregatedHttpResponse aggregate(HttpResponse response) {
    return response.aggregate().join();
  }

  /** The response body as JSON. */
  public static JsonNode json(AggregatedHttpResponse response) {
    try {
      return JSON.readTree(response.contentUtf8());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
