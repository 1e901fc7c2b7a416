package io.strand.server.api.zipkin;

import static io.strand.server.api.search.TestSpans.NOW_MILLIS;
import static io.strand.server.api.search.TestSpans.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.server.api.search.BadParameterException;
import org.junit.jupiter.api.Test;

class ZipkinSearchRequestTest {

  @Test
  void defaultsAreZipkins() {
    ZipkinSearchRequest r = ZipkinSearchRequest.parse(params(), NOW_MILLIS);
    assertThat(r.serviceName()).isNull();
    assertThat(r.limit()).isEqualTo(10);
    assertThat(r.endTsMillis()).isEqualTo(NOW_MILLIS);
    assertThat(r.lookbackMillis()).isEqualTo(86_400_000L);
    assertThat(r.startTimeMinNanos()).isEqualTo((NOW_MILLIS - 86_400_000L) * 1_000_000L);
    assertThat(r.startTimeMaxNanos()).isEqualTo(NOW_MILLIS * 1_000_000L + 999_999L);
    assertThat(r.minDurationNanos()).isZero();
    assertThat(r.maxDurationNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void readsEveryParameter() {
    ZipkinSearchRequest r = ZipkinSearchRequest.parse(params(
        "serviceName", "shop", "spanName", "get /cart", "remoteServiceName", "auth",
        "annotationQuery", "error", "minDuration", "1500", "maxDuration", "20000",
        "endTs", "1000000", "lookback", "60000", "limit", "3"), NOW_MILLIS);
    assertThat(r.serviceName()).isEqualTo("shop");
    assertThat(r.spanName()).isEqualTo("get /cart");
    assertThat(r.remoteServiceName()).isEqualTo("auth");
    assertThat(r.annotationQuery().words()).containsExactly("error");
    assertThat(r.minDurationNanos()).isEqualTo(1_500_000L);
    assertThat(r.maxDurationNanos()).as("Zipkin rounds durations down to whole micros")
        .isEqualTo(20_000_999L);
    assertThat(r.startTimeMinNanos()).isEqualTo(940_000L * 1_000_000L);
    assertThat(r.startTimeMaxNanos()).isEqualTo(1_000_000L * 1_000_000L + 999_999L);
    assertThat(r.limit()).isEqualTo(3);
  }

  @Test
  void spanNameAllAndBlankValuesMeanAny() {
    ZipkinSearchRequest r = ZipkinSearchRequest.parse(params(
        "spanName", "all", "serviceName", "", "minDuration", ""), NOW_MILLIS);
    assertThat(r.spanName()).isNull();
    assertThat(r.serviceName()).isNull();
    assertThat(r.minDurationMicros()).isZero();
  }

  @Test
  void windowNeverStartsBeforeTheEpoch() {
    ZipkinSearchRequest r = ZipkinSearchRequest.parse(params("endTs", "10", "lookback", "99"),
        NOW_MILLIS);
    assertThat(r.startTimeMinNanos()).isZero();
  }

  @Test
  void badParametersAreNamed() {
    assertBad("minDuration", "minDuration must be a whole number, got '1ms'", "minDuration", "1ms");
    assertBad("maxDuration", "maxDuration 5 is less than minDuration 10",
        "minDuration", "10", "maxDuration", "5");
    assertBad("endTs", "endTs must be at least 1, got 0", "endTs", "0");
    assertBad("endTs", "endTs is too large: 9223372036854775807", "endTs",
        Long.toString(Long.MAX_VALUE));
    assertBad("lookback", "lookback must be a whole number, got '1h'", "lookback", "1h");
    assertBad("limit", "limit must be at least 1, got 0", "limit", "0");
    assertBad("annotationQuery", "annotationQuery term '=x' has no key before '='",
        "annotationQuery", "=x");
  }

  private static void assertBad(String parameter, String message, String... namesAndValues) {
    assertThatThrownBy(() -> ZipkinSearchRequest.parse(params(namesAndValues), NOW_MILLIS))
        .isInstanceOf(BadParameterException.class)
        .hasMessage(message)
        .extracting(e -> ((BadParameterException) e).parameter()).isEqualTo(parameter);
  }
}
