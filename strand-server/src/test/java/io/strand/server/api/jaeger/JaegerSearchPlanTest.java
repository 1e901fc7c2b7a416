package io.strand.server.api.jaeger;

import static io.strand.server.api.search.TestSpans.params;
import static io.strand.server.api.search.TestSpans.span;
import static io.strand.server.api.search.TestSpans.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import io.strand.model.InstrumentationScope;
import io.strand.model.SpanKind;
import io.strand.model.StatusCode;
import io.strand.server.api.search.SearchCriteria;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JaegerSearchPlanTest {

  private static List<SearchCriteria> plan(String tagsJson) {
    return JaegerSearchPlan.plan(JaegerSearchRequest.parse(
        params("service", "shop", "operation", "op", "tags", tagsJson), 1_000_000_000L));
  }

  @Test
  void plainTagsAreAttributeEqualities() {
    List<SearchCriteria> plan = plan("{\"http.method\":\"GET\",\"error\":\"false\"}");
    assertThat(plan).singleElement().satisfies(c -> {
      assertThat(c.query().serviceName()).isEqualTo("shop");
      assertThat(c.query().operationName()).isEqualTo("op");
      assertThat(c.query().statusCode()).isNull();
      assertThat(c.query().attributes())
          .containsOnly(Map.entry("http.method", "GET"), Map.entry("error", "false"));
      assertThat(c.spanFilter()).isNull();
    });
  }

  @Test
  void errorTrueIsStatusErrorOrAnErrorAttribute() {
    List<SearchCriteria> plan = plan("{\"error\":\"true\",\"k\":\"v\"}");
    assertThat(plan).hasSize(2);
    assertThat(plan.get(0).query().statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(plan.get(0).query().attributes()).containsOnly(Map.entry("k", "v"));
    assertThat(plan.get(1).query().statusCode()).isNull();
    assertThat(plan.get(1).query().attributes())
        .containsOnly(Map.entry("k", "v"), Map.entry("error", "true"));
  }

  @Test
  void statusCodeTag() {
    assertThat(plan("{\"otel.status_code\":\"OK\"}").getFirst().query().statusCode())
        .isEqualTo(StatusCode.OK);
    assertThat(plan("{\"otel.status_code\":\"OK\",\"error\":\"true\"}"))
        .as("only the attribute alternative is possible with status OK")
        .singleElement().satisfies(c -> {
          assertThat(c.query().statusCode()).isEqualTo(StatusCode.OK);
          assertThat(c.query().attributes()).containsEntry("error", "true");
        });
  }

  @Test
  void derivedTagsAreTestedOnTheSpanFields() {
    SearchCriteria c = plan("{\"span.kind\":\"client\",\"otel.scope.name\":\"lib\","
        + "\"otel.status_description\":\"denied\"}").getFirst();
    assertThat(c.query().attributes()).isEmpty();
    var match = span(traceId(1), 1, "shop", "op", 0, 1).kind(SpanKind.CLIENT)
        .scope(new InstrumentationScope("lib", "1", null, 0))
        .status(StatusCode.ERROR, "denied").build();
    assertThat(c.spanFilter().test(match)).isTrue();
    assertThat(c.spanFilter().test(match.toBuilder().kind(SpanKind.SERVER).build())).isFalse();
    assertThat(c.spanFilter().test(match.toBuilder().status(StatusCode.ERROR, "x").build()))
        .isFalse();
  }
}
