package io.strand.query;

import static io.strand.storage.TestSpans.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.model.TraceId;
import io.strand.storage.TestSpans;
import io.strand.storage.memory.InMemoryStorage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Autocomplete over a sample of recent traces. */
class TagCatalogTest {

  private static final long MS = 1_000_000L;
  private static final Clock NOW = Clock.fixed(
      Instant.ofEpochSecond(0, T0).plus(Duration.ofMinutes(30)), ZoneOffset.UTC);

  private final InMemoryStorage storage = new InMemoryStorage();
  private final TagCatalog catalog = new TagCatalog(storage, NOW, Duration.ofHours(1), 500);

  private static Span gatewayRoot(long n, long offsetMs) {
    return TestSpans.simple(new TraceId(2, n), 1, 0, "gateway", "GET /", SpanKind.SERVER,
        T0 + offsetMs * MS, MS, Map.of("region", "eu"));
  }

  @BeforeEach
  void store() {
    storage.write(ShopTrace.spans());
    storage.write(List.of(gatewayRoot(1, 200), gatewayRoot(2, 300)));
    // two hours old: outside the one-hour lookback
    storage.write(List.of(TestSpans.simple(new TraceId(3, 1), 1, 0, "old", "ancient",
        SpanKind.SERVER, T0 - Duration.ofHours(2).toNanos(), MS, Map.of("old.key", "v"))));
  }

  @Test
  void spanAndResourceTagNames() {
    assertThat(catalog.tagNames(TagCatalog.Scope.SPAN)).containsExactly(
        "cache.hit", "db.system", "deployment.environment", "http.request.method",
        "http.response.status_code", "ratio", "region", "retry", "tags", "wait_ns");
    assertThat(catalog.tagNames(TagCatalog.Scope.RESOURCE))
        .containsExactly("deployment.environment", "service.name");
  }

  @Test
  void intrinsicNamesAreTheFixedList() {
    assertThat(catalog.tagNames(TagCatalog.Scope.INTRINSIC))
        .contains("duration", "name", "status", "kind", "rootServiceName", "span:name",
            "span:duration", "trace:rootService", "trace:duration", "event:name")
        .isSorted()
        .doesNotHaveDuplicates();
  }

  @Test
  void valuesByFrequencyThenValue() {
    assertThat(catalog.tagValues("resource.service.name", null, 10))
        .containsExactly("frontend", "cart", "checkout", "gateway", "payment");
    assertThat(catalog.tagValues("status", null, 10)).containsExactly("unset", "error");
    assertThat(catalog.tagValues("span:kind", null, 10))
        .containsExactly("server", "client", "internal");
    assertThat(catalog.tagValues(".deployment.environment", null, 10))
        .containsExactly("production", "canary");
    assertThat(catalog.tagValues("span.tags", null, 10)).containsExactly("a", "b");
    assertThat(catalog.tagValues("span.http.response.status_code", null, 10))
        .containsExactly("200", "503");
  }

  @Test
  void traceLevelFieldsCountOncePerTrace() {
    assertThat(catalog.tagValues("trace:rootService", null, 10))
        .containsExactly("gateway", "frontend");
    assertThat(catalog.tagValues("rootServiceName", null, 10))
        .containsExactly("gateway", "frontend");
  }

  @Test
  void prefixAndLimit() {
    assertThat(catalog.tagValues("name", "c", 10)).containsExactly("call cart", "call checkout");
    assertThat(catalog.tagValues("name", null, 2)).hasSize(2);
    assertThat(catalog.tagValues("name", "zzz", 2)).isEmpty();
  }

  @Test
  void onlyTheRecentSampleIsSeen() {
    assertThat(catalog.tagValues("resource.service.name", null, 10)).doesNotContain("old");
    assertThat(catalog.tagNames(TagCatalog.Scope.SPAN)).doesNotContain("old.key");
    TagCatalog one = new TagCatalog(storage, NOW, Duration.ofHours(1), 1);
    assertThat(one.tagValues("resource.service.name", null, 10)).containsExactly("gateway");
    TagCatalog everything = new TagCatalog(storage, NOW, Duration.ofDays(365 * 1000), 500);
    assertThat(everything.tagValues("resource.service.name", null, 10)).contains("old");
  }

  @Test
  void badArguments() {
    assertThatThrownBy(() -> catalog.tagValues("span.", null, 10))
        .isInstanceOf(TraceQlException.class);
    assertThatThrownBy(() -> catalog.tagValues("nosuch", null, 10))
        .isInstanceOf(TraceQlException.class).hasMessageContaining("unknown intrinsic 'nosuch'");
    assertThatThrownBy(() -> catalog.tagValues("name = 1", null, 10))
        .isInstanceOf(TraceQlException.class).hasMessageContaining("expected end of field");
    assertThatThrownBy(() -> catalog.tagValues("name", null, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
