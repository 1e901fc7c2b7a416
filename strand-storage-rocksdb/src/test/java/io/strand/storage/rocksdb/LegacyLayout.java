package io.strand.storage.rocksdb;

import io.strand.model.Attributes;
import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.model.TraceId;
import io.strand.storage.rocksdb.AttributeTerms.Term;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Rewrites partitions as earlier versions (storage formats 1 and 2) left them, for tests: per span a
 * service time-index entry ({@code 0x04}) beside {@code 0x05}, and, in partitions created with
 * an attribute index, per-span attribute entries ({@code 0x07}), resource attribute listings
 * ({@code 0x08}) and the {@code 0x0A} marker; no postings.
 */
final class LegacyLayout {

  private static final byte[] EMPTY = {};

  private LegacyLayout() {}

  /** {@code prefix | start | traceId | spanId | kind}: a per-span time-index entry. */
  static byte[] index(byte[] prefix, long startNanos, TraceId traceId, long spanId,
      SpanKind kind) {
    byte[] k = Arrays.copyOf(prefix, prefix.length + 8 + Keys.SPAN_SUFFIX_LENGTH);
    Keys.putLong(k, prefix.length, Keys.flip(startNanos));
    System.arraycopy(Keys.span(traceId, spanId, kind), 1, k, prefix.length + 8,
        Keys.SPAN_SUFFIX_LENGTH);
    return k;
  }

  /**
   * Replaces the contents of each named partition of the closed store in {@code dir} with
   * {@code spans} in the earlier layout, with attribute entries where {@code attributes} says.
   */
  static void rewrite(Path dir, Map<String, List<Span>> spans, Map<String, Boolean> attributes)
      throws Exception {
    rewrite(dir, (byte) 1, (name, h, batch) -> {
      List<Span> content = spans.get(name);
      if (content != null) {
        write(batch, h, content, attributes.get(name));
      }
      return content != null;
    });
  }

  /**
   * Replaces the contents of partition {@code name} of the closed store in {@code dir} with
   * {@code spans} as storage format 2 left them after a crash: per-span time-index entries, the
   * postings marker, and no postings yet, only a {@code 0x0C} list of the span keys (25 bytes
   * each, under a 9-byte key).
   */
  static void rewriteAsUnindexedFormat2(Path dir, String name, List<Span> spans)
      throws Exception {
    rewrite(dir, (byte) 2, (partition, h, batch) -> {
      if (!partition.equals(name)) {
        return false;
      }
      write(batch, h, spans, false);
      batch.put(h, Keys.POSTINGS_INDEXED, EMPTY);
      byte[] list = new byte[spans.size() * Keys.SPAN_SUFFIX_LENGTH];
      for (int i = 0; i < spans.size(); i++) {
        Span s = spans.get(i);
        System.arraycopy(Keys.span(s.traceId(), s.spanId(), s.kind()), 1, list,
            i * Keys.SPAN_SUFFIX_LENGTH, Keys.SPAN_SUFFIX_LENGTH);
      }
      batch.put(h, Keys.legacyPending(0), list);
      for (Span s : spans) {
        Attributes resource = s.resource().attributes();
        for (int i = 0; i < resource.size(); i++) {
          Term term = AttributeTerms.of(Keys.RESOURCE_ATTRIBUTE, resource.key(i),
              resource.value(i).asText());
          batch.put(h, Keys.append(term.bytes(), Text.keyBytes(s.serviceName())), EMPTY);
        }
      }
      return true;
    });
  }

  /** What {@link #rewrite(Path, byte, Content)} puts in a partition. */
  @FunctionalInterface
  private interface Content {
    /** Adds the partition's new contents to {@code batch}; false to leave it as it is. */
    boolean write(String name, ColumnFamilyHandle h, WriteBatch batch) throws Exception;
  }

  private static void rewrite(Path dir, byte format, Content content) throws Exception {
    List<byte[]> names;
    try (Options listing = new Options()) {
      names = RocksDB.listColumnFamilies(listing, dir.toString());
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions();
         WriteOptions sync = new WriteOptions().setSync(true);
         RocksDB db = RocksDB.open(options, dir.toString(),
             names.stream().map(ColumnFamilyDescriptor::new).toList(), handles)) {
      for (int i = 0; i < names.size(); i++) {
        String name = new String(names.get(i), StandardCharsets.UTF_8);
        ColumnFamilyHandle h = handles.get(i);
        if (name.equals("default")) {
          db.put(h, sync, "strand.format".getBytes(StandardCharsets.US_ASCII),
              new byte[] {format});
          continue;
        }
        try (WriteBatch batch = new WriteBatch()) {
          if (content.write(name, h, batch)) {
            db.deleteRange(h, new byte[] {0}, new byte[] {(byte) 0xFF});
            db.write(sync, batch);
          }
        }
      }
      handles.forEach(ColumnFamilyHandle::close);
    }
  }

  private static void write(WriteBatch batch, ColumnFamilyHandle h, List<Span> spans,
      boolean attributes) throws Exception {
    SpanCodec codec = new SpanCodec();
    if (attributes) {
      batch.put(h, Keys.ATTRIBUTES_INDEXED, EMPTY);
    }
    for (Span s : spans) {
      byte[] service = Text.keyBytes(s.serviceName());
      long start = s.startTimeUnixNano();
      byte[] duration = Keys.varint(s.durationNanos());
      batch.put(h, Keys.span(s.traceId(), s.spanId(), s.kind()), codec.encode(s));
      batch.put(h, index(Keys.named(Keys.SERVICE_TIME, service), start, s.traceId(),
          s.spanId(), s.kind()), duration);
      batch.put(h, index(Keys.TIME_PREFIX, start, s.traceId(), s.spanId(), s.kind()),
          duration);
      batch.put(h, Keys.named(Keys.SERVICE, service), EMPTY);
      batch.put(h, Keys.operation(service, s.name(), s.kind()), EMPTY);
      if (!attributes) {
        continue;
      }
      Attributes a = s.attributes();
      for (int i = 0; i < a.size(); i++) {
        Term term = AttributeTerms.of(Keys.SPAN_ATTRIBUTE, a.key(i), a.value(i).asText());
        batch.put(h, Keys.startRef(term.bytes(), start, s.traceId()), EMPTY);
      }
      Attributes resource = s.resource().attributes();
      for (int i = 0; i < resource.size(); i++) {
        Term term = AttributeTerms.of(Keys.RESOURCE_ATTRIBUTE, resource.key(i),
            resource.value(i).asText());
        batch.put(h, Keys.append(term.bytes(), service), EMPTY);
      }
    }
  }
}
