package io.strand.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.strand.server.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every span a server acknowledged, by trace, and the check that a (restarted) server returns each
 * of those traces by id with exactly the spans that were sent. Safe to add to from several sender
 * threads.
 */
final class AcknowledgedSpans {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Reads run concurrently: each is a small request, and they would otherwise queue on I/O. */
  private static final int READERS = 4;
  /** How many problems a failure message lists; the count of all of them is given too. */
  private static final int PROBLEMS_SHOWN = 20;

  /** A trace as sent: its id and its spans' ids, all lower-case hex, and its service. */
  record SentTrace(String traceId, String service, List<String> spanIds) {}

  private final Map<String, SentTrace> traces = new ConcurrentHashMap<>();
  private final AtomicLong spans = new AtomicLong();

  /** Records the traces of one acknowledged request. Each trace is sent in one request only. */
  void add(List<SentTrace> acknowledged) {
    for (SentTrace t : acknowledged) {
      if (traces.putIfAbsent(t.traceId(), t) != null) {
        throw new IllegalStateException("trace " + t.traceId() + " acknowledged twice");
      }
      spans.addAndGet(t.spanIds().size());
    }
  }

  int traceCount() {
    return traces.size();
  }

  long spanCount() {
    return spans.get();
  }

  /** Whether this trace was acknowledged. */
  boolean contains(String traceId) {
    return traces.containsKey(traceId);
  }

  /**
   * Asserts that every acknowledged trace is readable by id from the query API on {@code
   * queryPort} with exactly the spans sent, no more and no fewer.
   *
   * @param context put in front of the failure message, e.g. the seed that reproduces the run
   */
  void assertAllReadable(int queryPort, String context) throws InterruptedException {
    List<String> problems = problems(queryPort);
    assertThat(problems)
        .as("%s: %d of %d acknowledged traces (%d spans) are not as sent; the first %d:%n%s",
            context, problems.size(), traceCount(), spanCount(), PROBLEMS_SHOWN,
            String.join("\n", problems.subList(0, Math.min(PROBLEMS_SHOWN, problems.size()))))
        .isEmpty();
  }

  private List<String> problems(int queryPort) throws InterruptedException {
    List<String> problems = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(READERS);
    try {
      List<Future<String>> checks = new ArrayList<>();
      for (SentTrace t : traces.values()) {
        checks.add(pool.submit(() -> problem(queryPort, t)));
      }
      for (Future<String> check : checks) {
        String problem;
        try {
          problem = check.get();
        } catch (ExecutionException e) {
          problem = "read failed: " + e.getCause();
        }
        if (problem != null) {
          problems.add(problem);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return problems;
  }

  /** What is wrong with the stored copy of {@code sent}, or null when it is exactly as sent. */
  private static String problem(int queryPort, SentTrace sent) {
    HttpResponse<String> r = TestServers.get(queryPort, "/api/v1/traces/" + sent.traceId());
    if (r.statusCode() != 200) {
      return "trace " + sent.traceId() + " (" + sent.service() + ", " + sent.spanIds().size()
          + " spans): HTTP " + r.statusCode() + " " + r.body();
    }
    List<String> ids = new ArrayList<>();
    for (JsonNode span : json(r).path("spans")) {
      if (!sent.traceId().equals(span.path("traceId").asText())
          || !sent.service().equals(span.path("service").asText())) {
        return "trace " + sent.traceId() + ": span " + span.path("spanId").asText()
            + " has trace id " + span.path("traceId").asText() + " and service "
            + span.path("service").asText() + ", sent in " + sent.service();
      }
      ids.add(span.path("spanId").asText());
    }
    Set<String> expected = new TreeSet<>(sent.spanIds());
    Set<String> found = new TreeSet<>(ids);
    if (ids.size() != sent.spanIds().size() || !found.equals(expected)) {
      return "trace " + sent.traceId() + " (" + sent.service() + "): " + ids.size()
          + " spans stored, " + sent.spanIds().size() + " acknowledged; stored " + found
          + ", sent " + expected;
    }
    return null;
  }

  /** How many of the spans sent in {@code request} the server on {@code queryPort} holds. */
  static int storedSpans(int queryPort, List<SentTrace> request) {
    int stored = 0;
    for (SentTrace sent : request) {
      HttpResponse<String> r = TestServers.get(queryPort, "/api/v1/traces/" + sent.traceId());
      if (r.statusCode() == 200) {
        for (JsonNode span : json(r).path("spans")) {
          stored += sent.spanIds().contains(span.path("spanId").asText()) ? 1 : 0;
        }
      } else if (r.statusCode() != 404) {
        throw new IllegalStateException("HTTP " + r.statusCode() + " reading trace "
            + sent.traceId() + ": " + r.body());
      }
    }
    return stored;
  }

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
