package io.strand.bench;

import io.strand.bench.peer.ServerProcess;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** One server measured: ingest through one endpoint, resources used, storage check, queries. */
final class PeerRun {
  private static final String[] SEARCH_SERVICES = {"checkout", "payment", "frontend", "search"};

  private PeerRun() {}

  /**
   * Figures of one run.
   *
   * @param label what ran, e.g. "Zipkin 3.6.1 (in-memory), Zipkin JSON"
   * @param ingest acknowledged throughput, per second of the run too
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
   * Sends batches from {@code source} to {@code ingestUri} for {@code warmup} without counting,
   * then until it runs out or {@code duration} has passed; then reads back a sample of the
   * acknowledged traces and queries through the Zipkin API at {@code zipkinApi} (both servers
   * answer it).
   */
  static Figures run(String label, ServerProcess server, URI ingestUri, BatchSource source,
      int connections, Duration warmup, Duration duration, URI zipkinApi, int sampleSize)
      throws InterruptedException {
    System.out.printf("%n== %s: %d connections, %s%n", label, connections, source.describe());
    AckedSample sample = new AckedSample(sampleSize);
    HttpLoad.warmUp(ingestUri, source, connections, warmup, sample);
    double cpuBefore = server.cpuSeconds();
    HttpLoad.Result ingest = HttpLoad.send(ingestUri, source, connections, duration,
        new HttpLoad.Probes(server::rssBytes, () -> -1), sample);
    double cores = (server.cpuSeconds() - cpuBefore) / ingest.seconds();
    HttpLoad.Intervals perSecond = ingest.intervals(1);
    System.out.printf("   %,d spans acknowledged in %.1f s: %,.0f spans/s, %.2f cores, peak RSS"
        + " %,d MiB, %,d requests refused (%,d answered 429)%n", ingest.ackedSpans(),
        ingest.seconds(), ingest.spansPerSecond(), cores, server.peakRssBytes() >> 20,
        ingest.refusedRequests(), ingest.tooManyRequests());
    System.out.printf("   per second: lowest %,.0f, median %,.0f, highest %,.0f spans/s (%d whole"
        + " seconds); load generator producing bodies: %.2f CPU-s%n", perSecond.min(),
        perSecond.median(), perSecond.max(), perSecond.count(), ingest.sourceCpuSeconds());

    TraceCheck.Outcome check = TraceCheck.run(zipkinApi, sample.traces());
    System.out.printf("   %d of %d sampled acknowledged traces complete%n", check.complete(),
        check.uris().size());
    Latency.Summary traceById = Latency.measure(check.uris(), 5, r -> r.statusCode() == 200);
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
    return new Figures(label, ingest, cores, server.peakRssBytes(), check.uris().size(),
        check.complete(), traceById, search);
  }
}
