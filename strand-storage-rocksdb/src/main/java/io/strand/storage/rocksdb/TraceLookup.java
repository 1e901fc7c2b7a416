package io.strand.storage.rocksdb;

import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.model.TraceId;
import io.strand.storage.SpanOrder;
import io.strand.storage.StorageException;
import io.strand.storage.TraceReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.Slice;

/**
 * Reads a trace by id: one prefix seek per partition, newest partition first, keeping the newest
 * copy of each span.
 */
record TraceLookup(Lifecycle lifecycle, Partitions partitions) implements TraceReader {

  @Override
  public List<Span> getTrace(TraceId traceId) {
    return lifecycle.whileOpen(() -> read(traceId));
  }

  private List<Span> read(TraceId traceId) {
    byte[] prefix = Keys.tracePrefix(traceId);
    record Slot(long spanId, SpanKind kind) {}
    Set<Slot> seen = new HashSet<>();
    List<Span> out = new ArrayList<>();
    try (Slice upper = new Slice(Keys.successor(prefix));
         ReadOptions ro = new ReadOptions()
             .setPrefixSameAsStart(true)
             .setTotalOrderSeek(false)
             .setIterateUpperBound(upper)) {
      partitions.scanNewestFirst(prefix, ro, (p, it) -> {
        byte[] key = it.key();
        if (!Keys.startsWith(key, prefix)) {
          return false;
        }
        long spanId = Keys.spanIdAt(key, 1);
        SpanKind kind = Keys.kindAt(key, 1);
        // Newest partition first: a later copy of the same span shadows older ones.
        if (seen.add(new Slot(spanId, kind))) {
          out.add(p.decode(partitions.db(), key, it.value()));
        }
        return true;
      });
    } catch (RocksDBException e) {
      throw new StorageException("reading trace " + traceId + " failed: " + e.getMessage(), e);
    }
    out.sort(SpanOrder.BY_START);
    return out;
  }
}
