package io.strand.storage.memory;

import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.model.TraceId;
import io.strand.storage.CheckResult;
import io.strand.storage.Operation;
import io.strand.storage.ServiceCatalog;
import io.strand.storage.SpanOrder;
import io.strand.storage.SpanWriter;
import io.strand.storage.StorageComponent;
import io.strand.storage.TraceQuery;
import io.strand.storage.TraceReader;
import io.strand.storage.TraceSearch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The reference store: everything in memory, every query by a full scan of the one predicate.
 * Not durable and unbounded, so it is the oracle real backends are compared against in tests,
 * never a production store.
 *
 * <pre>
 * traces:  traceId ─▶ (spanId, kind) ─▶ span
 * </pre>
 */
public final class InMemoryStorage
    implements StorageComponent, SpanWriter, TraceReader, ServiceCatalog, TraceSearch {

  private record SpanKey(long spanId, SpanKind kind) {}

  private final Map<TraceId, Map<SpanKey, Span>> traces = new LinkedHashMap<>();

  @Override
  public synchronized void write(List<Span> spans) {
    for (Span s : spans) {
      traces.computeIfAbsent(s.traceId(), t -> new HashMap<>())
          .put(new SpanKey(s.spanId(), s.kind()), s);
    }
  }

  @Override
  public synchronized List<Span> getTrace(TraceId traceId) {
    Map<SpanKey, Span> spans = traces.get(traceId);
    if (spans == null) {
      return List.of();
    }
    List<Span> out = new ArrayList<>(spans.values());
    out.sort(SpanOrder.BY_START);
    return out;
  }

  @Override
  public synchronized List<String> services() {
    TreeSet<String> out = new TreeSet<>();
    traces.values().forEach(t -> t.values().forEach(s -> out.add(s.serviceName())));
    return List.copyOf(out);
  }

  @Override
  public synchronized List<Operation> operations(String service) {
    TreeSet<Operation> out = new TreeSet<>();
    traces.values().forEach(t -> t.values().forEach(s -> {
      if (s.serviceName().equals(service)) {
        out.add(new Operation(s.name(), s.kind()));
      }
    }));
    return List.copyOf(out);
  }

  @Override
  public synchronized List<String> remoteServices(String service) {
    TreeSet<String> out = new TreeSet<>();
    traces.values().forEach(t -> t.values().forEach(s -> {
      String peer = s.attributes().getText(PEER_SERVICE);
      if (peer != null && s.serviceName().equals(service)) {
        out.add(peer);
      }
    }));
    return List.copyOf(out);
  }

  @Override
  public synchronized List<TraceId> findTraceIds(TraceQuery query) {
    record Hit(TraceId id, long latestStart) {}
    List<Hit> hits = new ArrayList<>();
    for (Map.Entry<TraceId, Map<SpanKey, Span>> e : traces.entrySet()) {
      long latest = Long.MIN_VALUE;
      boolean matched = false;
      for (Span s : e.getValue().values()) {
        if (query.test(s)) {
          matched = true;
          latest = Math.max(latest, s.startTimeUnixNano());
        }
      }
      if (matched) {
        hits.add(new Hit(e.getKey(), latest));
      }
    }
    hits.sort(Comparator.comparingLong(Hit::latestStart).reversed().thenComparing(Hit::id));
    return hits.stream().limit(query.limit()).map(Hit::id).toList();
  }

  @Override
  public SpanWriter spanWriter() {
    return this;
  }

  @Override
  public TraceReader traceReader() {
    return this;
  }

  @Override
  public ServiceCatalog serviceCatalog() {
    return this;
  }

  @Override
  public TraceSearch traceSearch() {
    return this;
  }

  @Override
  public CheckResult check() {
    return CheckResult.OK;
  }

  @Override
  public void close() {}
}
