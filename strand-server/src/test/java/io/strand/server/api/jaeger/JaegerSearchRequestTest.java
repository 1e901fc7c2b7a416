package io.strand.server.api.jaeger;

import static io.strand.server.api.search.TestSpans.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.model.TraceId;
import io.strand.server.api.search.BadParameterException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JaegerSearchRequestTest {
  private static final long NOW_MICROS = 1_700_000_000_000_000L;

  private static JaegerSearchRequest parse(String... namesAndValues) {
    return JaegerSearchRequest.parse(params(namesAndValues), NOW_MICROS);
  }

  @Test
  void defaultsAreJaegers() {
    JaegerSearchRequest r = parse("service", "shop");
    assertThat(r.limit()).isEqualTo(100);
    assertThat(r.endMicros()).isEqualTo(NOW_MICROS);
    assertThat(r.startMicros()).isEqualTo(NOW_MICROS - 2 * 86_400_000_000L);
    assertThat(r.minDurationNanos()).isZero();
    assertThat(r.maxDurationNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(r.operation()).isNull();
    assertThat(r.tags()).isEmpty();
  }

  @Test
  void readsWhatTheJaegerUiSends() {
    JaegerSearchRequest r = parse("service", "shop", "operation", "GET /Cart",
        "tags", "{\"http.method\":\"GET\",\"error\":\"true\",\"http.status_code\":200}",
        "minDuration", "100ms", "maxDuration", "1.5s", "start", "1000", "end", "2000",
        "lookback", "1h", "limit", "20");
    assertThat(r.operation()).isEqualTo("GET /Cart");
    assertThat(r.tags()).containsExactly(Map.entry("http.method", "GET"),
        Map.entry("error", "true"), Map.entry("http.status_code", "200"));
    assertThat(r.minDurationNanos()).isEqualTo(100_000_000L);
    assertThat(r.maxDurationNanos()).isEqualTo(1_500_000_000L);
    assertThat(r.startMicros()).as("start wins over lookback").isEqualTo(1000);
    assertThat(r.startTimeMinNanos()).isEqualTo(1_000_000L);
    assertThat(r.startTimeMaxNanos()).isEqualTo(2_000_999L);
    assertThat(r.limit()).isEqualTo(20);
  }

  @Test
  void lookbackAloneSetsTheStart() {
    assertThat(parse("service", "s", "lookback", "1h").startMicros())
        .isEqualTo(NOW_MICROS - 3_600_000_000L);
    assertThat(parse("service", "s", "lookback", "custom").startMicros())
        .isEqualTo(NOW_MICROS - 2 * 86_400_000_000L);
    assertThat(parse("service", "s", "end", "5", "lookback", "2d").startMicros()).isZero();
  }

  @Test
  void tagParametersAsKeyColonValue() {
    assertThat(parse("service", "s", "tag", "url:http://x:80", "tag", "a:").tags())
        .containsExactly(Map.entry("url", "http://x:80"), Map.entry("a", ""));
  }

  @Test
  void traceIdsMakeTheServiceOptional() {
    JaegerSearchRequest r = parse("traceID", "abc", "traceID", "5b8efff798038103d269b633813fc60c");
    assertThat(r.traceIds()).containsExactly(new TraceId(0, 0xabc),
        TraceId.fromHex("5b8efff798038103d269b633813fc60c"));
  }

  @Test
  void badParametersNameThemInJaegersWords() {
    assertBad("service", "parameter 'service' is required");
    assertBad("minDuration", "unable to parse param 'minDuration': missing unit in duration \"10\"",
        "service", "s", "minDuration", "10");
    assertBad("maxDuration", "'maxDuration' should be greater than 'minDuration'",
        "service", "s", "minDuration", "2s", "maxDuration", "1s");
    assertBad("lookback", "unable to parse param 'lookback': unknown unit \"hours\" in duration"
        + " \"1hours\" (use ns, us, ms, s, m, h, d or w)", "service", "s", "lookback", "1hours");
    assertBad("tags", "malformed 'tags' parameter, value of 'a' must be a string",
        "service", "s", "tags", "{\"a\":{\"b\":1}}");
    assertBad("tags", "malformed 'tags' parameter, expecting a JSON object of strings, received: "
        + "[1]", "service", "s", "tags", "[1]");
    assertBad("tag", "malformed 'tag' parameter, expecting key:value, received: nocolon",
        "service", "s", "tag", "nocolon");
    assertBad("start", "'start' 3000 is after 'end' 2000",
        "service", "s", "start", "3000", "end", "2000");
    assertBad("limit", "limit must be at least 1, got 0", "service", "s", "limit", "0");
    assertBad("traceID", "cannot parse traceID param: trace id must be 1 to 32 hex digits, got 33"
        + " characters", "traceID", "0".repeat(33));
    assertThatThrownBy(() -> parse("service", "s", "tags", "{oops"))
        .hasMessageStartingWith("malformed 'tags' parameter, cannot unmarshal JSON: ");
  }

  private static void assertBad(String parameter, String message, String... namesAndValues) {
    assertThatThrownBy(() -> parse(namesAndValues))
        .isInstanceOf(BadParameterException.class)
        .hasMessage(message)
        .extracting(e -> ((BadParameterException) e).parameter()).isEqualTo(parameter);
  }
}
