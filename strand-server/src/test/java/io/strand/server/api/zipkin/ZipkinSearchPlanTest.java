package io.strand.server.api.zipkin;

import static io.strand.server.api.search.TestSpans.NOW_MILLIS;
import static io.strand.server.api.search.TestSpans.params;
import static io.strand.server.api.search.TestSpans.span;
import static io.strand.server.api.search.TestSpans.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import io.strand.model.Attributes;
import io.strand.model.SpanEvent;
import io.strand.model.StatusCode;
import io.strand.server.api.search.SearchCriteria;
import io.strand.server.api.search.SearchFixture;
import io.strand.storage.TraceQuery;
import io.strand.storage.memory.InMemoryStorage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZipkinSearchPlanTest {

  private final InMemoryStorage store = SearchFixture.store();

  private List<SearchCriteria> plan(String... namesAndValues) {
    return ZipkinSearchPlan.plan(ZipkinSearchRequest.parse(params(namesAndValues), NOW_MILLIS),
        store);
  }

  @Test
  void resolvesSpanNamesToEachStoredSpelling() {
    List<SearchCriteria> plan = plan("serviceName", "SHOP", "spanName", "get /cart");
    assertThat(plan).extracting(c -> c.query().operationName())
        .containsExactlyInAnyOrder("GET /Cart", "get /cart");
    assertThat(plan).extracting(c -> c.query().serviceName()).containsOnly("shop");
  }

  @Test
  void spanNameWithoutServiceLooksAtEveryService() {
    assertThat(plan("spanName", "CHECK")).extracting(c -> c.query().operationName())
        .containsExactly("check");
  }

  @Test
  void unknownNamesNeedNoStoreQuery() {
    assertThat(plan("serviceName", "nobody")).isEmpty();
    assertThat(plan("serviceName", "shop", "spanName", "nothing")).isEmpty();
    assertThat(plan("remoteServiceName", "nobody")).isEmpty();
  }

  @Test
  void remoteServiceIsThePeerServiceAttribute() {
    List<SearchCriteria> plan = plan("serviceName", "shop", "remoteServiceName", "Auth");
    assertThat(plan).singleElement().satisfies(c ->
        assertThat(c.query().attributes()).containsExactly(Map.entry("peer.service", "auth")));
  }

  @Test
  void errorIsTheStatusAndOtherTermsAreAttributesOrFilters() {
    SearchCriteria c = plan("annotationQuery", "error and http.method=GET and retried")
        .getFirst();
    TraceQuery q = c.query();
    assertThat(q.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(q.attributes()).containsExactly(Map.entry("http.method", "GET"));
    assertThat(c.spanFilter()).isNotNull();
    assertThat(plan("annotationQuery", "otel.status_code=OK").getFirst().query().statusCode())
        .isEqualTo(StatusCode.OK);
    assertThat(plan("annotationQuery", "error=denied").getFirst().query().statusCode())
        .isEqualTo(StatusCode.ERROR);
  }

  @Test
  void contradictoryStatusesFindNothing() {
    assertThat(plan("annotationQuery", "error and otel.status_code=OK")).isEmpty();
    assertThat(plan("annotationQuery", "otel.status_code=OK and error=x")).isEmpty();
  }

  @Test
  void aBareWordMatchesAnAttributeKeyOrAnEventName() {
    var withEvent = span(traceId(1), 1, "s", "n", 0, 1)
        .events(List.of(new SpanEvent(0, "retried", null, 0))).build();
    var withKey = span(traceId(1), 2, "s", "n", 0, 1)
        .attributes(Attributes.builder().put("retried", 2).build()).build();
    var neither = span(traceId(1), 3, "s", "retried", 0, 1).build();
    assertThat(ZipkinSearchPlan.Conditions.hasKeyOrEvent(withEvent, "retried")).isTrue();
    assertThat(ZipkinSearchPlan.Conditions.hasKeyOrEvent(withKey, "retried")).isTrue();
    assertThat(ZipkinSearchPlan.Conditions.hasKeyOrEvent(neither, "retried")).isFalse();
  }

  @Test
  void errorWithAMessageAlsoComparesTheStatusMessage() {
    SearchCriteria c = plan("annotationQuery", "error=denied").getFirst();
    var denied = span(traceId(1), 1, "s", "n", 0, 1).status(StatusCode.ERROR, "denied").build();
    var other = span(traceId(1), 1, "s", "n", 0, 1).status(StatusCode.ERROR, "nope").build();
    assertThat(c.spanFilter().test(denied)).isTrue();
    assertThat(c.spanFilter().test(other)).isFalse();
  }
}
