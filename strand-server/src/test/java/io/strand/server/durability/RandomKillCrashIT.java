package io.strand.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strand.server.ServerProcess;
import io.strand.server.TestServers;
import io.strand.server.durability.AcknowledgedSpans.SentTrace;
import io.strand.server.durability.SpanSenders.Protocol;
import io.strand.server.durability.SpanSenders.Shape;
import io.strand.server.durability.SpanSenders.Tally;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped server, as its own process, is SIGKILLed at a random point of sustained ingest, over
 * and over, on one data directory. Each restart must open that directory without repair and
 * return every span acknowledged in every earlier round; after the last kill the store must also
 * still answer searches and shut down cleanly.
 *
 * <p>The kill points and request shapes come from a seeded {@link Random}; the seed is printed and
 * is part of every failure message. {@code -Dstrand.crash.seed=<seed>} replays the same kill
 * points (the load itself depends on timing, so the exact set of acknowledged requests differs).
 */
class RandomKillCrashIT {
  /** Kill and restart cycles on the same data directory. */
  private static final int ROUNDS = 5;
  /**
   * A round's SIGKILL comes after a random time of ingest, in this range (ms, inclusive), or
   * right after a random number of acknowledged requests, 1 to {@link #MAX_KILL_AFTER_ACKS}.
   */
  private static final int MIN_KILL_AFTER_MS = 50;
  private static final int MAX_KILL_AFTER_MS = 2000;
  private static final int MAX_KILL_AFTER_ACKS = 100;
  /** On a machine too slow to reach the drawn number of acknowledgements, kill after this. */
  private static final Duration ACKS_WITHIN = Duration.ofSeconds(15);
  /** Range of the random request shape of a round: traces per request, spans per trace. */
  private static final int MAX_TRACES_PER_REQUEST = 3;
  private static final int MAX_SPANS_PER_TRACE = 40;
  /** Requests of each sender acknowledged by the server started after the last kill. */
  private static final int ACKS_AFTER_THE_LAST_KILL = 20;
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);
  private static final Path JAR = Path.of("target", "strand.jar");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Kept when the test fails, for its RocksDB LOG files; the failure message names it. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path data;

  @Test
  void everyAcknowledgedSpanSurvivesRepeatedSigkills() throws Exception {
    assertThat(JAR).as("the shaded jar is built before integration tests").exists();
    long seed = Long.getLong("strand.crash.seed", ThreadLocalRandom.current().nextLong());
    Random random = new Random(seed);
    String replay = "seed " + seed + " (replay with -Dstrand.crash.seed=" + seed + "), data in "
        + data;
    log("%d rounds, %s", ROUNDS, replay);
    long testStart = System.nanoTime();
    long testStartEpochSeconds = System.currentTimeMillis() / 1000;
    AcknowledgedSpans acknowledged = new AcknowledgedSpans();
    List<List<SentTrace>> unanswered = List.of();

    for (int round = 1; round <= ROUNDS; round++) {
      KillPoint killPoint = KillPoint.draw(random);
      Shape shape = new Shape(1 + random.nextInt(MAX_TRACES_PER_REQUEST),
          1 + random.nextInt(MAX_SPANS_PER_TRACE));
      String context = replay + ", round " + round + " of " + ROUNDS;
      long launched = System.nanoTime();
      try (ServerProcess server = ServerProcess.startJar(JAR, "server", data)) {
        long reopenMs = awaitReady(server, launched, context);
        long verifyStart = System.nanoTime();
        acknowledged.assertAllReadable(server.queryPort(), context + ", after restart; "
            + "server output:\n" + String.join("\n", server.output()));
        long verifyMs = millisSince(verifyStart);
        int tracesBefore = acknowledged.traceCount();
        long spansBefore = acknowledged.spanCount();
        String unansweredFate = fate(server.queryPort(), unanswered);

        List<Tally> tallies;
        long ingestMs;
        boolean reached;
        try (SpanSenders load = SpanSenders.start(server, round, shape, acknowledged,
            Protocol.values())) {
          long ingestStart = System.nanoTime();
          reached = killPoint.await(load);
          ingestMs = millisSince(ingestStart);
          tallies = load.killServer();
          unanswered = load.unanswered();
          assertThat(load.unexpected()).as("%s: unexpected answers while the server ran; "
              + "server output:%n%s", context, String.join("\n", server.output())).isEmpty();
        }

        log("round %d: reopened in %d ms (launch to /ready 200); verified %d traces / %d spans "
            + "in %d ms%s", round, reopenMs, tracesBefore, spansBefore, verifyMs, unansweredFate);
        log("  %s; SIGKILL after %s%s: %d ms of ingest", shape, killPoint,
            reached ? "" : " (not reached within " + ACKS_WITHIN + ")", ingestMs);
        for (Tally t : tallies) {
          log("  %-18s %5d requests, %5d acknowledged (%6d spans), %3d refused (429/503), "
              + "%d unanswered at the kill", t.protocol(), t.requests(), t.acknowledged(),
              t.acknowledgedSpans(), t.refused(), t.unanswered());
        }
      }
    }

    String context = replay + ", after the last kill";
    long launched = System.nanoTime();
    try (ServerProcess server = ServerProcess.startJar(JAR, "server", data)) {
      long reopenMs = awaitReady(server, launched, context);
      long verifyStart = System.nanoTime();
      acknowledged.assertAllReadable(server.queryPort(), context + "; server output:\n"
          + String.join("\n", server.output()));
      log("final: reopened in %d ms, verified all %d traces / %d spans in %d ms%s", reopenMs,
          acknowledged.traceCount(), acknowledged.spanCount(), millisSince(verifyStart),
          fate(server.queryPort(), unanswered));

      // The store still takes writes, from every receiver, and finds what it holds.
      try (SpanSenders load = SpanSenders.start(server, ROUNDS + 1, new Shape(1, 5),
          acknowledged, Protocol.values())) {
        assertThat(load.awaitEachAcknowledged(ACKS_AFTER_THE_LAST_KILL, READY_WITHIN))
            .as("%s: %d requests of each sender acknowledged; %s", context,
                ACKS_AFTER_THE_LAST_KILL, load.unexpected())
            .isTrue();
        List<Tally> tallies = load.stop();
        assertThat(load.unexpected()).as(context).isEmpty();
        log("final: ingest went on, %s", tallies.stream()
            .map(t -> t.protocol() + " " + t.acknowledged() + " acknowledged").toList());
      }
      acknowledged.assertAllReadable(server.queryPort(), context + ", after more ingest");
      assertSearchable(server, acknowledged, testStartEpochSeconds, context);
      assertThat(TestServers.get(server.queryPort(), "/ready").statusCode()).as(context)
          .isEqualTo(200);

      int exit = server.stop();
      String output = String.join("\n", server.output());
      assertThat(output).as("%s: clean shutdown (exit %d); output:%n%s", context, exit, output)
          .contains("closed RocksDB span store").doesNotContain("error while stopping");
      assertThat(exit).as("%s: exit code after SIGTERM", context).isIn(0, 143);
    }
    log("done in %d ms, %s", millisSince(testStart), replay);
  }

  /** When a round's SIGKILL comes: after {@code ms} of ingest, or else after {@code acks}. */
  private record KillPoint(int ms, int acks) {
    static KillPoint draw(Random random) {
      return random.nextBoolean()
          ? new KillPoint(MIN_KILL_AFTER_MS
              + random.nextInt(MAX_KILL_AFTER_MS - MIN_KILL_AFTER_MS + 1), 0)
          : new KillPoint(0, 1 + random.nextInt(MAX_KILL_AFTER_ACKS));
    }

    /** Returns once it is time to kill; false if the acknowledgements did not come in time. */
    boolean await(SpanSenders load) throws InterruptedException {
      if (acks == 0) {
        Thread.sleep(ms); // the random kill point, the thing being varied
        return true;
      }
      return load.awaitAcknowledged(acks, ACKS_WITHIN);
    }

    @Override
    public String toString() {
      return acks == 0 ? ms + " ms" : acks + " acknowledged requests";
    }
  }

  /** The services list and a TraceQL search per sender's service find what was sent. */
  private static void assertSearchable(ServerProcess server, AcknowledgedSpans acknowledged,
      long sinceEpochSeconds, String context) throws Exception {
    HttpResponse<String> services = TestServers.get(server.queryPort(), "/api/v1/services");
    assertThat(services.statusCode()).as(context).isEqualTo(200);
    List<String> names = JSON.readTree(services.body()).path("services").valueStream()
        .map(JsonNode::asText).toList();
    for (Protocol p : Protocol.values()) {
      assertThat(names).as("%s: services", context).contains(p.service);
      String query = "{ resource.service.name = \"" + p.service + "\" }";
      HttpResponse<String> found = TestServers.get(server.queryPort(), "/api/v1/search?q="
          + URLEncoder.encode(query, StandardCharsets.UTF_8).replace("+", "%20")
          + "&start=" + (sinceEpochSeconds - 60)
          + "&end=" + (System.currentTimeMillis() / 1000 + 60) + "&limit=20");
      assertThat(found.statusCode()).as("%s: %s -> %s", context, query, found.body())
          .isEqualTo(200);
      List<JsonNode> traces = JSON.readTree(found.body()).path("traces").valueStream().toList();
      // Requests in flight at a kill may be stored unacknowledged, but the newest traces were
      // sent after the last kill and all acknowledged.
      assertThat(traces).as("%s: %s found %s", context, query, found.body())
          .isNotEmpty()
          .allSatisfy(t -> assertThat(t.path("services").valueStream().map(JsonNode::asText))
              .containsExactly(p.service))
          .anySatisfy(t -> assertThat(acknowledged.contains(t.path("traceId").asText()))
              .isTrue());
    }
  }

  /**
   * What became of the requests that had no answer at the last kill. Not asserted: each may or
   * may not have been stored. Empty for none.
   */
  private static String fate(int queryPort, List<List<SentTrace>> unanswered) {
    if (unanswered.isEmpty()) {
      return "";
    }
    int whole = 0;
    int none = 0;
    List<String> partly = new ArrayList<>();
    for (List<SentTrace> request : unanswered) {
      int sent = request.stream().mapToInt(t -> t.spanIds().size()).sum();
      int stored = AcknowledgedSpans.storedSpans(queryPort, request);
      if (stored == sent) {
        whole++;
      } else if (stored == 0) {
        none++;
      } else {
        partly.add(stored + " of " + sent + " spans of " + request.get(0).service() + " traces "
            + request.stream().map(SentTrace::traceId).toList());
      }
    }
    return String.format("; requests unanswered at the last kill: %d, of them stored: %d,"
        + " not stored: %d, stored in part: %d%s", unanswered.size(), whole, none, partly.size(),
        partly.isEmpty() ? "" : " " + partly);
  }

  /** Polls {@code /ready} until 200; returns the ms since {@code launched}, a nanoTime. */
  private static long awaitReady(ServerProcess server, long launched, String context)
      throws Exception {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (true) {
      HttpResponse<String> r = TestServers.get(server.queryPort(), "/ready");
      if (r.statusCode() == 200) {
        return millisSince(launched);
      }
      assertThat(System.nanoTime()).as("%s: not ready within %s: %s; output:%n%s", context,
          READY_WITHIN, r.body(), String.join("\n", server.output())).isLessThan(deadline);
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  private static long millisSince(long nanoTime) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
  }

  private static void log(String format, Object... args) {
    System.out.printf("[RandomKillCrashIT] " + format + "%n", args);
  }
}
