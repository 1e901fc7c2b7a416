package io.strand.storage.rocksdb;

import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.storage.ServiceCatalog;
import io.strand.storage.rocksdb.AttributeTerms.Term;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The index and catalog entries of one write batch (see {@link Keys}): per span its two
 * time-index entries and an attribute index entry per span attribute, except for terms too
 * common in the partition to index ({@link DenseTerms}); per batch each catalog name (service,
 * operation, remote service, resource attributes) once, and only if the partition does not hold
 * it durably yet. Not thread-safe: one per batch.
 */
final class BatchIndexer {

  private static final byte[] EMPTY = new byte[0];

  /** A service's name bytes and its {@code 0x04} prefix, computed once per batch. */
  private record ServiceKeys(byte[] name, byte[] timePrefix) {}

  private record Attribute(String key, AttributeValue value) {}

  private record OperationName(String service, String name, SpanKind kind) {}

  private record RemoteService(String service, String peer) {}

  private final Partition partition;
  private final WriteBatch batch;
  private final ColumnFamilyHandle cf;
  private final Map<String, ServiceKeys> services = new HashMap<>();
  /** Span attributes seen in this batch and their {@code 0x07} terms: batches repeat them. */
  private final Map<Attribute, Term> spanTerms = new HashMap<>();
  /** Spans of this batch carrying each term, for {@link DenseTerms}. */
  private final Map<Term, int[]> termCounts = new HashMap<>();
  private int spanCount;
  private List<Term> newlyDense = List.of();
  private final Map<Resource, Boolean> resources = new IdentityHashMap<>();
  private final Set<Object> newNames = new HashSet<>();

  BatchIndexer(Partition partition, WriteBatch batch) {
    this.partition = partition;
    this.batch = batch;
    this.cf = partition.handle;
  }

  /** Adds the entries of {@code s} to the batch. */
  void add(Span s) throws RocksDBException {
    String service = s.serviceName();
    ServiceKeys sk = services.computeIfAbsent(service, name -> {
      byte[] bytes = Text.keyBytes(name);
      return new ServiceKeys(bytes, Keys.named(Keys.SERVICE_TIME, bytes));
    });
    long start = s.startTimeUnixNano();
    byte[] duration = Keys.varint(s.durationNanos());
    batch.put(cf, Keys.index(sk.timePrefix, start, s.traceId(), s.spanId(), s.kind()), duration);
    batch.put(cf, Keys.index(Keys.TIME_PREFIX, start, s.traceId(), s.spanId(), s.kind()),
        duration);
    Attributes attributes = s.attributes();
    for (int i = 0; i < attributes.size(); i++) {
      Term term = spanTerms.computeIfAbsent(new Attribute(attributes.key(i),
          attributes.value(i)), a -> AttributeTerms.of(Keys.SPAN_ATTRIBUTE, a.key,
              a.value.asText()));
      termCounts.computeIfAbsent(term, t -> new int[1])[0]++;
      if (!partition.denseTerms.isDense(term)) {
        batch.put(cf, Keys.startRef(term.bytes(), start, s.traceId()), EMPTY);
      }
    }
    spanCount++;
    catalog(service, () -> Keys.named(Keys.SERVICE, sk.name));
    catalog(new OperationName(service, s.name(), s.kind()),
        () -> Keys.operation(sk.name, s.name(), s.kind()));
    String peer = attributes.getText(ServiceCatalog.PEER_SERVICE);
    if (peer != null) {
      catalog(new RemoteService(service, peer),
          () -> Keys.named(Keys.REMOTE_SERVICE, sk.name, Text.keyBytes(peer)));
    }
    // Decoders share one Resource among the spans of a resource, so identity finds repeats
    // cheaply; the partition remembers resources by value.
    if (resources.put(s.resource(), Boolean.TRUE) == null && claim(s.resource())) {
      addResource(s.resource().attributes(), sk.name);
    }
  }

  /** Adds the markers of terms this batch made dense; call after the last span. */
  void finish() throws RocksDBException {
    newlyDense = partition.denseTerms.count(termCounts, spanCount);
    for (Term t : newlyDense) {
      batch.put(cf, t.as(Keys.DENSE_TERM), EMPTY);
    }
  }

  /** Remembers what this batch made durable; call once the batch is written. */
  void committed() {
    partition.remember(newNames);
    partition.denseTerms.markDense(newlyDense);
  }

  /** {@code 0x08} entries: this service's resources carry these attributes. */
  private void addResource(Attributes attributes, byte[] service) throws RocksDBException {
    for (int i = 0; i < attributes.size(); i++) {
      Term term = AttributeTerms.of(Keys.RESOURCE_ATTRIBUTE, attributes.key(i),
          attributes.value(i).asText());
      batch.put(cf, Keys.append(term.bytes(), service), EMPTY);
    }
  }

  private void catalog(Object name, Supplier<byte[]> key) throws RocksDBException {
    if (claim(name)) {
      batch.put(cf, key.get(), EMPTY);
    }
  }

  /** True the first time this batch sees a name the partition does not hold yet. */
  private boolean claim(Object name) {
    return !partition.knows(name) && newNames.add(name);
  }
}
