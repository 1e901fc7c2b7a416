package io.strand.storage.rocksdb;

import io.strand.model.Attributes;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.storage.ServiceCatalog;
import io.strand.storage.rocksdb.AttributeTerms.Term;
import java.util.Arrays;
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
 * time-index entries; per batch the list of its span keys ({@code 0x0C}) and, in memory, its postings
 * ({@link SpanTerms}, written later with their window, see {@link PendingPostings}), the markers
 * of terms it made dense, and each catalog name (service, operation, remote service, resource
 * attributes) once, only if the partition does not hold it durably yet. Not thread-safe: one
 * per batch.
 */
final class BatchIndexer {

  private static final byte[] EMPTY = new byte[0];

  private record OperationName(String service, String name, SpanKind kind) {}

  private record RemoteService(String service, String peer) {}

  private final Partition partition;
  private final WriteBatch batch;
  private final ColumnFamilyHandle cf;
  /** A service's name bytes and its {@code 0x04} prefix, computed once per batch. */
  private record ServiceKeys(byte[] name, byte[] timePrefix) {}

  private final Map<String, ServiceKeys> services = new HashMap<>();
  private final SpanTerms terms;
  /** The span keys of the batch without their tag, 25 bytes each: the {@code 0x0C} value. */
  private byte[] spanKeys;
  private int spanCount;
  private List<Term> newlyDense = List.of();
  private final Map<Resource, Boolean> resources = new IdentityHashMap<>();
  private final Set<Object> newNames = new HashSet<>();

  /** An indexer for a batch of about {@code spans} spans. */
  BatchIndexer(Partition partition, WriteBatch batch, int spans) {
    this.partition = partition;
    this.batch = batch;
    this.cf = partition.handle;
    this.terms = new SpanTerms(partition.denseTerms, spans);
    this.spanKeys = new byte[Math.max(1, spans) * Keys.SPAN_SUFFIX_LENGTH];
  }

  /** Adds the entries of {@code s}, whose key is {@code spanKey}, to the batch. */
  void add(Span s, byte[] spanKey) throws RocksDBException {
    String service = s.serviceName();
    ServiceKeys sk = services.computeIfAbsent(service, name -> {
      byte[] bytes = Text.keyBytes(name);
      return new ServiceKeys(bytes, Keys.named(Keys.SERVICE_TIME, bytes));
    });
    byte[] serviceName = sk.name;
    long start = s.startTimeUnixNano();
    byte[] duration = Keys.varint(s.durationNanos());
    batch.put(cf, Keys.index(sk.timePrefix, start, s.traceId(), s.spanId(), s.kind()), duration);
    batch.put(cf, Keys.index(Keys.TIME_PREFIX, start, s.traceId(), s.spanId(), s.kind()),
        duration);
    if ((spanCount + 1) * Keys.SPAN_SUFFIX_LENGTH > spanKeys.length) {
      spanKeys = Arrays.copyOf(spanKeys, spanKeys.length * 2);
    }
    System.arraycopy(spanKey, 1, spanKeys, spanCount * Keys.SPAN_SUFFIX_LENGTH,
        Keys.SPAN_SUFFIX_LENGTH);
    spanCount++;
    terms.add(s);
    catalog(service, () -> Keys.named(Keys.SERVICE, serviceName));
    catalog(new OperationName(service, s.name(), s.kind()),
        () -> Keys.operation(serviceName, s.name(), s.kind()));
    Attributes attributes = s.attributes();
    String peer = attributes.getText(ServiceCatalog.PEER_SERVICE);
    if (peer != null) {
      catalog(new RemoteService(service, peer),
          () -> Keys.named(Keys.REMOTE_SERVICE, serviceName, Text.keyBytes(peer)));
    }
    // Decoders share one Resource among the spans of a resource, so identity finds repeats
    // cheaply; the partition remembers resources by value.
    if (resources.put(s.resource(), Boolean.TRUE) == null && claim(s.resource())) {
      addResource(s.resource().attributes(), serviceName);
    }
  }

  /**
   * Adds the batch's pending-span list (as batch {@code number}) and the markers of terms this
   * batch made dense; call after the last span. Returns the batch's postings, for {@link
   * PendingPostings#add} once the batch is durable.
   */
  BatchPostings finish(long number) throws RocksDBException {
    batch.put(cf, Keys.pending(number),
        Arrays.copyOf(spanKeys, spanCount * Keys.SPAN_SUFFIX_LENGTH));
    if (number % DenseTerms.SAMPLED_BATCHES == 0) {
      newlyDense = terms.countInto(partition.denseTerms, DenseTerms.SAMPLED_BATCHES);
    }
    for (Term t : newlyDense) {
      batch.put(cf, t.as(Keys.DENSE_TERM), EMPTY);
    }
    return terms.build(number);
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
