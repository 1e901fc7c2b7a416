package io.strand.storage.rocksdb;

import io.strand.model.Attributes;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.storage.ServiceCatalog;
import io.strand.storage.rocksdb.AttributeTerms.Term;
import java.util.ArrayList;
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
 * The index and catalog entries of one write batch (see {@link Keys}): per span group ({@link
 * SpanGroups}) its two time-index entries; per batch the list of its span keys ({@code 0x0C}) and,
 * in memory, its postings ({@link SpanTerms}, written later with their window, see {@link
 * PendingPostings}), the markers of terms it made dense, and each catalog name (service,
 * operation, remote service, resource attributes) once, only if the partition does not hold it
 * durably yet. Not thread-safe: one per batch.
 */
final class BatchIndexer {

  private static final byte[] EMPTY = new byte[0];

  private record OperationName(String service, String name, SpanKind kind) {}

  private record RemoteService(String service, String peer) {}

  private final Partition partition;
  private final WriteBatch batch;
  private final ColumnFamilyHandle cf;
  /** A service's name bytes, its {@code 0x04} prefix and its tag in {@link #serviceGroups}. */
  private record ServiceKeys(byte[] name, byte[] timePrefix, int tag) {}

  private final Map<String, ServiceKeys> services = new HashMap<>();
  private final List<ServiceKeys> servicesByTag = new ArrayList<>();
  private final SpanTerms terms;
  private final SpanGroups timeGroups;
  private final SpanGroups serviceGroups;
  /** The spans added and the group of each in {@link #timeGroups}. */
  private Span[] spans;
  private int[] groupOf;
  /** The {@code 0x0C} list: per span its key without the tag, then its entry's start. */
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
    this.timeGroups = new SpanGroups(spans);
    this.serviceGroups = new SpanGroups(spans);
    this.spans = new Span[Math.max(1, spans)];
    this.groupOf = new int[this.spans.length];
    this.spanKeys = new byte[this.spans.length * Keys.PENDING_ENTRY_LENGTH];
  }

  /** Adds the entries of {@code s}, whose key is {@code spanKey}, to the batch. */
  void add(Span s, byte[] spanKey) throws RocksDBException {
    String service = s.serviceName();
    ServiceKeys sk = services.get(service);
    if (sk == null) {
      byte[] bytes = Text.keyBytes(service);
      sk = new ServiceKeys(bytes, Keys.named(Keys.SERVICE_TIME, bytes), servicesByTag.size());
      services.put(service, sk);
      servicesByTag.add(sk);
    }
    byte[] serviceName = sk.name;
    if (spanCount == spans.length) {
      spans = Arrays.copyOf(spans, spanCount * 2);
      groupOf = Arrays.copyOf(groupOf, spanCount * 2);
      spanKeys = Arrays.copyOf(spanKeys, spanCount * 2 * Keys.PENDING_ENTRY_LENGTH);
    }
    spans[spanCount] = s;
    groupOf[spanCount] = timeGroups.add(s);
    serviceGroups.add(s, sk.tag);
    System.arraycopy(spanKey, 1, spanKeys, spanCount * Keys.PENDING_ENTRY_LENGTH,
        Keys.SPAN_SUFFIX_LENGTH);
    spanCount++;
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
   * Adds the span groups' time-index entries, the batch's pending-span list (as batch {@code
   * number}) and the markers of terms this batch made dense; call after the last span. Returns
   * the batch's postings, for {@link PendingPostings#add} once the batch is durable.
   */
  BatchPostings finish(long number) throws RocksDBException {
    for (int g = 0; g < timeGroups.count(); g++) {
      batch.put(cf, timeGroups.key(Keys.TIME_PREFIX, g, number), timeGroups.value(g));
    }
    for (int g = 0; g < serviceGroups.count(); g++) {
      byte[] prefix = servicesByTag.get(serviceGroups.tag(g)).timePrefix;
      batch.put(cf, serviceGroups.key(prefix, g, number), serviceGroups.value(g));
    }
    // A span's refs name its group's entry: the group's latest start and the trace. The list
    // keeps that start, since spans written again later would regroup differently.
    for (int i = 0; i < spanCount; i++) {
      long entryStart = timeGroups.maxStart(groupOf[i]);
      terms.add(spans[i], entryStart);
      Keys.putLong(spanKeys, i * Keys.PENDING_ENTRY_LENGTH + Keys.SPAN_SUFFIX_LENGTH, entryStart);
    }
    batch.put(cf, Keys.pending(number),
        Arrays.copyOf(spanKeys, spanCount * Keys.PENDING_ENTRY_LENGTH));
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
