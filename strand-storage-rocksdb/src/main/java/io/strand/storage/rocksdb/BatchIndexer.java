package io.strand.storage.rocksdb;

import io.strand.model.AttributeValue;
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
 * The index and catalog entries of one write batch (see {@link Keys}): per span its two
 * time-index entries and an attribute index entry per span attribute, except for terms too
 * common in the partition to index ({@link DenseTerms}) and entries the batch already holds
 * (spans of one trace in one millisecond share them); per batch each catalog name (service,
 * operation, remote service, resource attributes) once, and only if the partition does not hold
 * it durably yet. Not thread-safe: one per batch.
 */
final class BatchIndexer {

  private static final byte[] EMPTY = new byte[0];

  /** A service's name bytes and its {@code 0x04} prefix, computed once per batch. */
  private record ServiceKeys(byte[] name, byte[] timePrefix) {}

  /** The values of one span attribute key seen in this batch, and their slots. */
  private record KeySlots(String key, Map<AttributeValue, Slot> values, List<Slot> slots) {
    KeySlots(String key) {
      this(key, new HashMap<>(), new ArrayList<>());
    }
  }

  private record OperationName(String service, String name, SpanKind kind) {}

  private record RemoteService(String service, String peer) {}

  /**
   * A distinct span attribute term of this batch. Whether it is dense is read once per batch:
   * a term that turns dense meanwhile only gets a few more entries, which is harmless.
   */
  private record Slot(Term term, int index, boolean dense) {}

  private final Partition partition;
  private final WriteBatch batch;
  private final ColumnFamilyHandle cf;
  private final Map<String, ServiceKeys> services = new HashMap<>();
  /**
   * Span attributes seen in this batch, by key and value, and their {@code 0x07} terms: batches
   * repeat them. Grouped by key, so that {@link DenseTerms} finds each key's summary once.
   */
  private final Map<String, KeySlots> spanTerms = new HashMap<>(256);
  private final Map<Term, Slot> slotsByTerm = new HashMap<>(1024);
  /** The number of distinct terms in this batch; {@code Slot.index} counts them. */
  private int termCount;
  /** Spans of this batch carrying each term, by {@code Slot.index}, for {@link DenseTerms}. */
  private int[] termCounts = new int[256];
  /** The {@code 0x07} entries this batch has written, so that each is written once. */
  private final RefSet written;
  private int spanCount;
  private List<Term> newlyDense = List.of();
  private final Map<Resource, Boolean> resources = new IdentityHashMap<>();
  private final Set<Object> newNames = new HashSet<>();

  /** An indexer for a batch of about {@code spans} spans. */
  BatchIndexer(Partition partition, WriteBatch batch, int spans) {
    this.partition = partition;
    this.batch = batch;
    this.cf = partition.handle;
    // About 8 entries per span are written, at 13 span attributes per span minus dense ones.
    this.written = new RefSet(spans * 8);
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
    long ref = RefSet.ref(start, s.traceId().high());
    for (int i = 0; i < attributes.size(); i++) {
      String key = attributes.key(i);
      AttributeValue value = attributes.value(i);
      KeySlots ks = spanTerms.get(key);
      if (ks == null) {
        ks = new KeySlots(key);
        spanTerms.put(key, ks);
      }
      Slot slot = ks.values.get(value);
      if (slot == null) {
        slot = newSlot(ks, value);
      }
      termCounts[slot.index]++;
      if (!slot.dense) {
        // Spans of one trace often share a millisecond: their entries would be identical.
        if (written.add(slot.index, ref)) {
          batch.put(cf, Keys.startRef(slot.term.bytes(), start, s.traceId()), EMPTY);
        }
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

  private Slot newSlot(KeySlots ks, AttributeValue value) {
    Term term = AttributeTerms.of(Keys.SPAN_ATTRIBUTE, ks.key, value.asText());
    // Values of different kinds may render alike (5 and "5"): they share one term and slot.
    Slot slot = slotsByTerm.get(term);
    if (slot == null) {
      slot = new Slot(term, termCount++, partition.denseTerms.isDense(term));
      slotsByTerm.put(term, slot);
      ks.slots.add(slot);
      if (termCount > termCounts.length) {
        termCounts = Arrays.copyOf(termCounts, termCounts.length * 2);
      }
    }
    ks.values.put(value, slot);
    return slot;
  }

  /** Adds the markers of terms this batch made dense; call after the last span. */
  void finish() throws RocksDBException {
    List<Term> terms = new ArrayList<>(termCount);
    int[] counts = new int[termCount];
    for (KeySlots ks : spanTerms.values()) {
      for (Slot slot : ks.slots) {
        counts[terms.size()] = termCounts[slot.index];
        terms.add(slot.term);
      }
    }
    newlyDense = partition.denseTerms.count(terms, counts, spanCount);
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
