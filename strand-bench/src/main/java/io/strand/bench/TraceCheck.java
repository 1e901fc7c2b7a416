package io.strand.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strand.model.TraceId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads sampled traces back by id through the Zipkin API ({@code GET /api/v2/trace/{id}}, which
 * both Strand and Zipkin answer) and counts those with every span present.
 */
final class TraceCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The outcome.
   *
   * @param uris the trace URIs read, for timing them afterwards
   * @param complete traces with every span present
   */
  record Outcome(List<URI> uris, int complete) {}

  private TraceCheck() {}

  /** Reads every sampled trace once; prints each one that is not complete. */
  static Outcome run(URI zipkinApi, Map<TraceId, Integer> sample) throws InterruptedException {
    List<URI> byId = new ArrayList<>();
    int complete = 0;
    long deadline = System.nanoTime() + Latency.READ_BUDGET.toNanos();
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      for (Map.Entry<TraceId, Integer> e : sample.entrySet()) {
        URI uri = zipkinApi.resolve("/api/v2/trace/" + e.getKey().toHex());
        byId.add(uri);
        String problem = System.nanoTime() > deadline
            ? "not read: the read-back budget of " + Latency.READ_BUDGET.toSeconds()
                + " s is spent"
            : checkSpanCount(client, uri, e.getValue());
        if (problem == null) {
          complete++;
        } else {
          System.out.printf("   trace %s: %s%n", e.getKey().toHex(), problem);
        }
      }
    }
    return new Outcome(byId, complete);
  }

  /** Null when the trace has the expected spans, else what is wrong with it. */
  private static String checkSpanCount(HttpClient client, URI uri, int expected)
      throws InterruptedException {
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri)
              .timeout(Latency.REQUEST_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return "status " + r.statusCode();
      }
      int got = JSON.readTree(r.body()).size();
      return got == expected ? null : "expected " + expected + " spans, got " + got;
    } catch (IOException e) {
      return e.toString();
    }
  }
}
