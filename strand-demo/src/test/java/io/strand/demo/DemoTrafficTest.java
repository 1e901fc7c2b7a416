package io.strand.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.Clock;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Generates 200 requests with a fixed seed and checks the shape of the resulting traces. */
class DemoTrafficTest {
  private static final int REQUESTS = 200;
  private static final long SEED = 42;

  private static long generatedFrom;
  private static long generatedUntil;
  private static List<SpanData> spans;
  private static Map<String, SpanData> byId;
  private static Map<String, List<SpanData>> byTrace;

  @BeforeAll
  static void generate() {
    generatedFrom = Clock.getDefault().now();
    spans = generate(SEED, REQUESTS);
    generatedUntil = Clock.getDefault().now();
    byId = spans.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
    byTrace = spans.stream().collect(Collectors.groupingBy(SpanData::getTraceId));
  }

  static List<SpanData> generate(long seed, int requests) {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (DemoTraffic traffic =
        new DemoTraffic(DemoTraffic.builder().seed(seed), name -> exporter)) {
      for (int i = 0; i < requests; i++) {
        traffic.runOnce();
      }
      assertThat(traffic.forceFlush()).isTrue();
      assertThat(traffic.requestsGenerated()).isEqualTo(requests);
      // Copy before close(): shutting the exporter down clears it.
      return List.copyOf(exporter.getFinishedSpanItems());
    }
  }

  @Test
  void everyRequestIsOneTraceRootedInTheFrontend() {
    assertThat(byTrace).hasSize(REQUESTS);
    for (List<SpanData> trace : byTrace.values()) {
      List<SpanData> roots =
          trace.stream().filter(s -> !s.getParentSpanContext().isValid()).toList();
      assertThat(roots).hasSize(1);
      assertThat(service(roots.get(0))).isEqualTo("frontend");
      assertThat(roots.get(0).getKind()).isEqualTo(SpanKind.SERVER);
      // Every non-root span's parent was exported too: no broken traces.
      trace.stream()
          .filter(s -> s.getParentSpanContext().isValid())
          .forEach(s -> assertThat(parent(s)).as(s.getName()).isNotNull());
    }
  }

  @Test
  void spansComeFromSevenServicesWithTheirOwnResources() {
    Map<String, Set<String>> instanceIds =
        spans.stream()
            .collect(Collectors.groupingBy(DemoTrafficTest::service,
                Collectors.mapping(s -> s.getResource().getAttribute(SemConv.SERVICE_INSTANCE_ID),
                    Collectors.toSet())));
    assertThat(instanceIds.keySet())
        .hasSizeGreaterThanOrEqualTo(6)
        .containsExactlyInAnyOrder("frontend", "checkout", "payment", "fraud-check", "inventory",
            "shipping", "recommendation");
    assertThat(instanceIds.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
    assertThat(instanceIds.values().stream().flatMap(Set::stream).distinct()).hasSize(7);
    for (SpanData span : spans) {
      var resource = span.getResource();
      assertThat(resource.getAttribute(SemConv.SERVICE_VERSION)).isNotBlank();
      assertThat(resource.getAttribute(SemConv.DEPLOYMENT_ENVIRONMENT)).isEqualTo("production");
      assertThat(resource.getAttribute(SemConv.HOST_NAME)).startsWith(service(span) + "-");
      assertThat(resource.getAttribute(AttributeKey.stringKey("telemetry.sdk.language")))
          .isEqualTo("java");
      assertThat(resource.getAttribute(AttributeKey.stringKey("telemetry.sdk.version")))
          .isNotBlank();
    }
  }

  @Test
  void serverSpansAreChildrenOfClientSpansInAnotherService() {
    List<SpanData> servers =
        spans.stream()
            .filter(s -> s.getKind() == SpanKind.SERVER && s.getParentSpanContext().isValid())
            .toList();
    assertThat(servers).hasSizeGreaterThan(REQUESTS);
    for (SpanData server : servers) {
      SpanData client = parent(server);
      assertThat(server.getParentSpanContext().isRemote()).isTrue();
      assertThat(client.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(client.getTraceId()).isEqualTo(server.getTraceId());
      assertThat(service(client)).isNotEqualTo(service(server));
      assertThat(server.getStartEpochNanos()).isGreaterThan(client.getStartEpochNanos());
      assertThat(server.getEndEpochNanos()).isLessThan(client.getEndEpochNanos());
    }
    Set<String> edges =
        servers.stream()
            .map(s -> service(parent(s)) + "->" + service(s))
            .collect(Collectors.toSet());
    assertThat(edges)
        .contains("frontend->checkout", "frontend->inventory", "frontend->recommendation",
            "checkout->inventory", "checkout->payment", "payment->fraud-check");
  }

  @Test
  void kafkaConsumerIsChildOfAndLinkedToTheProducer() {
    List<SpanData> consumers = ofKind(SpanKind.CONSUMER);
    assertThat(consumers).isNotEmpty();
    for (SpanData consumer : consumers) {
      SpanData producer = parent(consumer);
      assertThat(service(consumer)).isEqualTo("shipping");
      assertThat(producer.getKind()).isEqualTo(SpanKind.PRODUCER);
      assertThat(service(producer)).isEqualTo("checkout");
      assertThat(consumer.getLinks()).singleElement()
          .satisfies(
              link -> assertThat(link.getSpanContext()).isEqualTo(producer.getSpanContext()));
      assertThat(consumer.getStartEpochNanos()).isGreaterThanOrEqualTo(producer.getEndEpochNanos());
      for (SpanData s : List.of(producer, consumer)) {
        assertThat(s.getAttributes().get(SemConv.MESSAGING_SYSTEM)).isEqualTo("kafka");
        assertThat(s.getAttributes().get(SemConv.MESSAGING_DESTINATION_NAME)).isEqualTo("orders");
      }
    }
  }

  @Test
  void aFewPercentOfRequestsFail() {
    long failedTraces =
        byTrace.values().stream()
            .filter(trace -> trace.stream().anyMatch(DemoTrafficTest::isError))
            .count();
    assertThat((double) failedTraces / REQUESTS).isBetween(0.01, 0.15);
    double errorSpanRatio = (double) spans.stream().filter(DemoTrafficTest::isError).count()
        / spans.size();
    assertThat(errorSpanRatio).isGreaterThan(0).isLessThan(0.15);
  }

  @Test
  void declinedPaymentsRecordAnExceptionAndSurfaceAs5xx() {
    List<SpanData> declined =
        spans.stream()
            .filter(s -> service(s).equals("payment") && s.getKind() == SpanKind.SERVER)
            .filter(DemoTrafficTest::isError)
            .toList();
    assertThat(declined).isNotEmpty();
    for (SpanData payment : declined) {
      assertThat(payment.getEvents())
          .anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("exception");
            assertThat(e.getAttributes().get(AttributeKey.stringKey("exception.type")))
                .isEqualTo(PaymentDeclinedException.class.getName());
          });
      SpanData checkout = ancestor(payment, "checkout", SpanKind.SERVER);
      SpanData frontend = ancestor(payment, "frontend", SpanKind.SERVER);
      assertThat(checkout.getAttributes().get(SemConv.HTTP_RESPONSE_STATUS_CODE)).isEqualTo(500L);
      assertThat(frontend.getAttributes().get(SemConv.HTTP_RESPONSE_STATUS_CODE)).isEqualTo(502L);
      assertThat(checkout.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
      assertThat(frontend.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }
  }

  @Test
  void inventorySometimesIssuesNPlusOneQueries() {
    Map<String, List<SpanData>> dbSpansByParent =
        spans.stream()
            .filter(s -> "postgresql".equals(s.getAttributes().get(SemConv.DB_SYSTEM)))
            .collect(Collectors.groupingBy(SpanData::getParentSpanId));
    List<List<SpanData>> nPlusOne =
        dbSpansByParent.values().stream()
            .filter(group -> group.size() >= 10)
            .toList();
    assertThat(nPlusOne).isNotEmpty();
    for (List<SpanData> group : nPlusOne) {
      assertThat(group).allSatisfy(s -> assertThat(service(s)).isEqualTo("inventory"));
      assertThat(group.stream().map(s -> s.getAttributes().get(SemConv.DB_STATEMENT)).distinct()
          .count()).isLessThanOrEqualTo(2); // the repeated SELECT plus the final UPDATE
    }
  }

  @Test
  void databaseSpansCarryDbAttributes() {
    List<SpanData> db =
        spans.stream().filter(s -> s.getAttributes().get(SemConv.DB_SYSTEM) != null).toList();
    assertThat(db).isNotEmpty().allSatisfy(s -> {
      assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(s.getAttributes().get(SemConv.DB_STATEMENT)).isNotBlank();
      assertThat(s.getAttributes().get(SemConv.DB_NAME)).isNotBlank();
      assertThat(s.getAttributes().get(SemConv.SERVER_ADDRESS)).isNotBlank();
    });
    assertThat(db.stream().map(s -> s.getAttributes().get(SemConv.DB_SYSTEM)).distinct())
        .containsExactlyInAnyOrder("postgresql", "redis");
  }

  @Test
  void recommendationSometimesRecursesDeeply() {
    int deepest =
        spans.stream()
            .filter(s -> s.getName().equals("rank.recurse"))
            .mapToInt(DemoTrafficTest::recursionDepth)
            .max()
            .orElse(0);
    assertThat(deepest).isBetween(12, 20);
  }

  @Test
  void fraudCheckIsSometimesSlow() {
    List<SpanData> slow =
        spans.stream().filter(s -> duration(s).compareTo(Duration.ofMillis(1500)) >= 0).toList();
    assertThat(slow).isNotEmpty();
    assertThat(slow.stream().map(DemoTrafficTest::service)).contains("fraud-check", "payment");
    assertThat(slow).allSatisfy(s -> assertThat(duration(s)).isLessThan(Duration.ofSeconds(5)));
  }

  @Test
  void llmCallsCarryGenAiAttributes() {
    List<SpanData> llm =
        spans.stream().filter(s -> s.getAttributes().get(SemConv.GEN_AI_SYSTEM) != null).toList();
    assertThat(llm).isNotEmpty().allSatisfy(s -> {
      assertThat(service(s)).isEqualTo("recommendation");
      assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT);
      assertThat(s.getAttributes().get(SemConv.GEN_AI_REQUEST_MODEL)).isEqualTo("gpt-4o-mini");
    });
    assertThat(llm).anySatisfy(s -> {
      assertThat(s.getAttributes().get(SemConv.GEN_AI_USAGE_INPUT_TOKENS)).isPositive();
      assertThat(s.getAttributes().get(SemConv.GEN_AI_USAGE_OUTPUT_TOKENS)).isPositive();
    });
  }

  @Test
  void httpServerSpansHaveTenToTwentyAttributes() {
    List<SpanData> httpServers =
        ofKind(SpanKind.SERVER).stream()
            .filter(s -> s.getAttributes().get(SemConv.HTTP_REQUEST_METHOD) != null)
            .toList();
    assertThat(httpServers).hasSizeGreaterThan(REQUESTS);
    assertThat(httpServers).allSatisfy(s -> assertThat(s.getAttributes().size()).isBetween(10, 20));
  }

  @Test
  void attributesUseEveryCommonValueType() {
    Set<AttributeType> types = new HashSet<>();
    spans.forEach(s -> s.getAttributes().forEach((key, value) -> types.add(key.getType())));
    assertThat(types)
        .contains(AttributeType.STRING, AttributeType.LONG, AttributeType.DOUBLE,
            AttributeType.BOOLEAN, AttributeType.STRING_ARRAY);
  }

  @Test
  void eventsIncludeCacheMissesAndExceptions() {
    Set<String> names =
        spans.stream()
            .flatMap(s -> s.getEvents().stream())
            .map(EventData::getName)
            .collect(Collectors.toSet());
    assertThat(names).contains("cache miss", "exception");
  }

  @Test
  void timestampsAreLiveAndConsistent() {
    for (List<SpanData> trace : byTrace.values()) {
      SpanData root = trace.stream().filter(s -> !s.getParentSpanContext().isValid()).findFirst()
          .orElseThrow();
      assertThat(root.getStartEpochNanos()).isBetween(generatedFrom, generatedUntil);
    }
    for (SpanData span : spans) {
      assertThat(span.getEndEpochNanos()).isGreaterThan(span.getStartEpochNanos());
      for (EventData event : span.getEvents()) {
        // Exception events use the SDK clock: they must land inside the simulated span.
        assertThat(event.getEpochNanos())
            .as("%s event %s", span.getName(), event.getName())
            .isBetween(span.getStartEpochNanos(), span.getEndEpochNanos());
      }
      SpanData parent = parent(span);
      if (parent != null && span.getKind() != SpanKind.CONSUMER) {
        // Everything except the asynchronous consumer runs within its parent.
        assertThat(span.getStartEpochNanos()).isGreaterThanOrEqualTo(parent.getStartEpochNanos());
        assertThat(span.getEndEpochNanos()).isLessThanOrEqualTo(parent.getEndEpochNanos());
      }
    }
  }

  @Test
  void theSameSeedReproducesTheSameTraffic() {
    assertThat(fingerprint(generate(7, 30))).isEqualTo(fingerprint(generate(7, 30)));
    assertThat(fingerprint(generate(7, 30))).isNotEqualTo(fingerprint(generate(8, 30)));
  }

  private static List<String> fingerprint(Collection<SpanData> generated) {
    return generated.stream()
        .map(s -> service(s) + " " + s.getName() + " " + duration(s).toNanos() + " "
            + s.getAttributes().size())
        .sorted()
        .toList();
  }

  private static int recursionDepth(SpanData span) {
    int depth = 0;
    for (SpanData s = span; s != null && s.getName().equals("rank.recurse"); s = parent(s)) {
      depth++;
    }
    return depth;
  }

  private static SpanData ancestor(SpanData span, String service, SpanKind kind) {
    for (SpanData s = parent(span); s != null; s = parent(s)) {
      if (service(s).equals(service) && s.getKind() == kind) {
        return s;
      }
    }
    throw new AssertionError("no " + service + " " + kind + " above " + span.getName());
  }

  private static SpanData parent(SpanData span) {
    if (!span.getParentSpanContext().isValid()) {
      return null;
    }
    SpanData parent = byId.get(span.getParentSpanId());
    return parent != null && Objects.equals(parent.getTraceId(), span.getTraceId()) ? parent : null;
  }

  private static List<SpanData> ofKind(SpanKind kind) {
    return spans.stream().filter(s -> s.getKind() == kind).toList();
  }

  private static String service(SpanData span) {
    return span.getResource().getAttribute(SemConv.SERVICE_NAME);
  }

  private static boolean isError(SpanData span) {
    return span.getStatus().getStatusCode() == StatusCode.ERROR;
  }

  private static Duration duration(SpanData span) {
    return Duration.ofNanos(span.getEndEpochNanos() - span.getStartEpochNanos());
  }
}
