package io.strand.query;

import io.strand.model.Span;
import io.strand.model.TraceId;
import io.strand.storage.CheckResult;
import io.strand.storage.ServiceCatalog;
import io.strand.storage.SpanWriter;
import io.strand.storage.StorageComponent;
import io.strand.storage.TraceQuery;
import io.strand.storage.TraceReader;
import io.strand.storage.TraceSearch;
import io.strand.storage.memory.InMemoryStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The in-memory store, counting reads and remembering the search queries it was asked. */
final class CountingStorage implements StorageComponent, TraceReader, TraceSearch {

  final InMemoryStorage delegate = new InMemoryStorage();
  final AtomicInteger traceReads = new AtomicInteger();
  final List<TraceQuery> searches = new ArrayList<>();

  @Override
  public List<Span> getTrace(TraceId traceId) {
    traceReads.incrementAndGet();
    return delegate.getTrace(traceId);
  }

  @Override
  public synchronized List<TraceId> findTraceIds(TraceQuery query) {
    searches.add(query);
    return delegate.findTraceIds(query);
  }

  @Override
  public SpanWriter spanWriter() {
    return delegate;
  }

  @Override
  public TraceReader traceReader() {
    return this;
  }

  @Override
  public ServiceCatalog serviceCatalog() {
    return delegate;
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
