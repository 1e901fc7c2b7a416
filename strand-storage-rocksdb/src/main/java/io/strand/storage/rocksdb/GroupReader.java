package io.strand.storage.rocksdb;

import io.strand.model.Span;
import io.strand.storage.TraceQuery;
import java.util.Arrays;
import java.util.List;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Reads, for one search, the spans a span-group entry stands for: the trace's span records in
 * the entry's partition whose start lies in the group's window up to the entry's start (see
 * {@link SpanGroups}). Spans of the trace that other batches wrote into the same window are read
 * too; each has an entry of its own as well, so this only finds them sooner. Spans are decoded
 * latest first, up to the first that passes. One iterator per partition, made on first use and
 * re-seeked per entry. An entry of an earlier version, naming one span, is a group of one.
 */
final class GroupReader implements AutoCloseable {

  private final RocksDB db;
  private final List<Partition> newestFirst;
  private final TraceQuery query;
  private final ReadOptions options =
      new ReadOptions().setPrefixSameAsStart(true).setTotalOrderSeek(false);
  private final RocksIterator[] iterators;
  /** The spans in a group's window, reused: keys, values, and their order to decode them in. */
  private byte[][] keys = new byte[64][];
  private byte[][] values = new byte[64][];
  private long[] order = new long[64];
  /** After {@link #match} found one: the latest start among the group's matching spans. */
  long latest;

  GroupReader(RocksDB db, List<Partition> newestFirst, TraceQuery query) {
    this.db = db;
    this.newestFirst = newestFirst;
    this.query = query;
    this.iterators = new RocksIterator[newestFirst.size()];
  }

  /**
   * Whether a live span of the cursor's current entry passes the predicate; if so, {@link
   * #latest} is the latest start among those that do.
   */
  boolean match(SpanCursor c) throws RocksDBException {
    return c.group ? matchGroup(c) : matchSpan(c);
  }

  /**
   * The single span an entry of an earlier version names, at the entry's start. The entry is
   * stale when its span was written again with another start (same partition) or into a newer
   * partition; the live copy has its own entry, so stale ones are skipped.
   */
  private boolean matchSpan(SpanCursor c) throws RocksDBException {
    byte[] spanKey = c.spanKey();
    byte[] value = db.get(c.partition.handle, spanKey);
    if (value == null) {
      return false;
    }
    Span span = c.partition.decode(db, spanKey, value);
    latest = c.start;
    return span.startTimeUnixNano() == c.start && query.test(span)
        && !inNewer(c.rank, spanKey);
  }

  private boolean matchGroup(SpanCursor c) throws RocksDBException {
    RocksIterator it = iterators[c.rank];
    if (it == null) {
      it = db.newIterator(c.partition.handle, options);
      iterators[c.rank] = it;
    }
    byte[] prefix = Keys.tracePrefix(c.traceId);
    long low = Math.max(Keys.groupLow(c.start), query.startTimeMinNanos());
    long high = Math.min(c.start, query.startTimeMaxNanos());
    int n = 0;
    for (it.seek(prefix); it.isValid(); it.next()) {
      byte[] key = it.key();
      if (!Keys.startsWith(key, prefix)) {
        break;
      }
      byte[] value = it.value();
      long start = SpanCodec.start(value);
      // A start past the entry's belongs to a later entry.
      if (start >= low && start <= high) {
        if (n == keys.length) {
          keys = Arrays.copyOf(keys, n * 2);
          values = Arrays.copyOf(values, n * 2);
          order = Arrays.copyOf(order, n * 2);
        }
        keys[n] = key;
        values[n] = value;
        // Latest first, by one sort: the distance from the window's top (under 2^30 ns, as a
        // group window is 1 s) above the span's index.
        order[n] = ((high - start) << 32) | n;
        n++;
      }
    }
    it.status();
    // Decoding is what costs: the latest span that passes ends the search.
    Arrays.sort(order, 0, n);
    for (int i = 0; i < n; i++) {
      int at = (int) order[i];
      Span span = c.partition.decode(db, keys[at], values[at]);
      if (query.test(span) && !inNewer(c.rank, keys[at])) {
        latest = span.startTimeUnixNano();
        return true;
      }
    }
    return false;
  }

  /**
   * Whether a partition newer than the one at {@code rank} holds the span too, whose copy there
   * is the live one.
   */
  private boolean inNewer(int rank, byte[] spanKey) throws RocksDBException {
    for (int i = 0; i < rank; i++) {
      // Prefix blooms make this cheap when the trace never reached the newer partition.
      if (db.get(newestFirst.get(i).handle, spanKey) != null) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    for (RocksIterator it : iterators) {
      if (it != null) {
        it.close();
      }
    }
    options.close();
  }
}
