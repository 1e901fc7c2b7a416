package io.strand.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.strand.bench.peer.ServerProcess;
import io.strand.model.TraceId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One server measured: ingest through one endpoint, resources used, storage check, queries. */
final class PeerRun {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] SEARCH_SERVICES = {"checkout", "payment", "frontend", "search"};

  private PeerRun() {}

  /**
   * Figures of one run.
   *
   * @param label what ran, e.g. "Zipkin 3.6.1 (in-memory), Zipkin JSON"
   * @param ingest acknowledged throughput
   * @param cpuCores average cores the server used while ingesting
   * @param peakRssBytes server's peak resident memory
   * @param sampledTraces traces read back
   * @param completeTraces of those, traces with every span present
   * @param traceById latency of {@code GET /api/v2/trace/{id}}
   * @param annotationSearch latency of {@code GET /api/v2/traces} with an annotation query
   */
  record Figures(String label, HttpLoad.Result ingest, double cpuCores, long peakRssBytes,
      int sampledTraces, int completeTraces, Latency.Summary traceById,
      Latency.Summary annotationSearch) {}

  /**
   * Sends the batches to {@code ingestUri}, then checks and queries through the Zipkin API at
   * {@code zipkinApi} (both servers answer it).
   */
  static Figures run(String label, ServerProcess server, URI ingestUri, String contentType,
      List<byte[]> batches, Payloads payloads, int connections, Duration maxDuration,
      URI zipkinApi) throws InterruptedException {
    System.out.printf("%n== %s: sending %,d spans over %d connections...%n", label,
        batches.size() * (long) payloads.spansPerBatch(), connections);
    double cpuBefore = server.cpuSeconds();
    HttpLoad.Result ingest = HttpLoad.send(ingestUri, contentType, batches,
        payloads.spansPerBatch(), connections, maxDuration);
    double cores = (server.cpuSeconds() - cpuBefore) / ingest.seconds();
    System.out.printf("   %,d spans acknowledged in %.1f s: %,.0f spans/s, %.2f cores, peak RSS"
        + " %,d MiB, %,d requests refused%n", ingest.ackedSpans(), ingest.seconds(),
        ingest.spansPerSecond(), cores, server.peakRssBytes() >> 20, ingest.refusedRequests());

    List<URI> byId = new ArrayList<>();
    int complete = 0;
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      for (Map.Entry<TraceId, Integer> e : payloads.sample().entrySet()) {
        URI uri = zipkinApi.resolve("/api/v2/trace/" + e.getKey().toHex());
        byId.add(uri);
        String problem = checkSpanCount(client, uri, e.getValue());
        if (problem == null) {
          complete++;
        } else {
          System.out.printf("   trace %s: %s%n", e.getKey().toHex(), problem);
        }
      }
    }
    System.out.printf("   %d of %d sampled traces complete%n", complete, byId.size());
    Latency.Summary traceById = Latency.measure(byId, 5, r -> r.statusCode() == 200);
    long endTs = System.currentTimeMillis() + 3_600_000;
    List<URI> searches = new ArrayList<>();
    for (String service : SEARCH_SERVICES) {
      searches.add(zipkinApi.resolve("/api/v2/traces?serviceName=" + service
          + "&annotationQuery=http.response.status_code%3D503&limit=10&endTs=" + endTs
          + "&lookback=86400000"));
    }
    Latency.Summary search = Latency.measure(searches, 10, r -> r.statusCode() == 200);
    System.out.printf("   trace by id p50 %.1f ms p99 %.1f ms; annotation search p50 %.1f ms"
        + " p99 %.1f ms (%d failed)%n", traceById.p50(), traceById.p99(), search.p50(),
        search.p99(), search.failed());
    return new Figures(label, ingest, cores, server.peakRssBytes(), byId.size(), complete,
        traceById, search);
  }

  /** Null when the trace has the expected spans, else what is wrong with it. */
  private static String checkSpanCount(HttpClient client, URI uri, int expected) {
    try {
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return "status " + r.statusCode();
      }
      int got = JSON.readTree(r.body()).size();
      return got == expected ? null : "expected " + expected + " spans, got " + got;
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
