package io.strand.storage.rocksdb;

import io.strand.model.Span;
import io.strand.model.TraceId;
import io.strand.storage.StorageException;
import io.strand.storage.TraceQuery;
import io.strand.storage.TraceSearch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Trace search over the indexes: {@link SearchPlanner} picks the index runs to walk in each
 * partition (an attribute's, the service's, or the whole time index), each walked by a {@link
 * SpanCursor}, and a heap merges them newest start first.
 */
record IndexSearch(Lifecycle lifecycle, Partitions partitions, RocksDB db)
    implements TraceSearch {

  @Override
  public List<TraceId> findTraceIds(TraceQuery query) {
    return lifecycle.whileOpen(() -> search(query));
  }

  /**
   * The index runs a search for {@code query} walks in each partition, newest first; for tests
   * and diagnostics.
   */
  List<List<IndexRun>> plan(TraceQuery query) {
    return lifecycle.whileOpen(() -> {
      List<Partition> parts = partitions.acquireNewestFirst();
      try {
        return SearchPlanner.plan(db, parts, query);
      } catch (RocksDBException e) {
        throw new StorageException("planning failed: " + e.getMessage(), e);
      } finally {
        partitions.releaseAll(parts);
      }
    });
  }

  /**
   * Merges the partitions' indexes newest-start first. The first time a trace shows up with a
   * span that passes the predicate, that span's start is the trace's sort key (nothing later is
   * left). Once {@code limit} traces are found, the scan continues only through entries tied
   * with the last one, then sorts and cuts, which settles ties by trace id.
   */
  private List<TraceId> search(TraceQuery query) {
    List<Partition> parts = partitions.acquireNewestFirst();
    List<SpanCursor> cursors = new ArrayList<>();
    try {
      List<List<IndexRun>> plan = SearchPlanner.plan(db, parts, query);
      PriorityQueue<SpanCursor> queue = new PriorityQueue<>(
          Comparator.comparingLong((SpanCursor c) -> c.start).reversed());
      for (int rank = 0; rank < parts.size(); rank++) {
        for (IndexRun run : plan.get(rank)) {
          SpanCursor c = run.cursor(db, parts.get(rank), rank, query);
          cursors.add(c);
          if (c.first()) {
            queue.add(c);
          }
        }
      }
      Map<TraceId, Long> found = new HashMap<>();
      long cutoff = Long.MIN_VALUE; // start of the limit-th trace found
      while (!queue.isEmpty()) {
        SpanCursor c = queue.poll();
        if (found.size() >= query.limit() && c.start < cutoff) {
          break;
        }
        if (!found.containsKey(c.traceId) && matches(c, query, parts)) {
          found.put(c.traceId, c.start);
          if (found.size() == query.limit()) {
            cutoff = c.start;
          }
        }
        if (c.next()) {
          queue.add(c);
        }
      }
      return found.entrySet().stream()
          .sorted(Map.Entry.<TraceId, Long>comparingByValue().reversed()
              .thenComparing(Map.Entry.comparingByKey()))
          .limit(query.limit())
          .map(Map.Entry::getKey)
          .toList();
    } catch (RocksDBException e) {
      throw new StorageException("search failed: " + e.getMessage(), e);
    } finally {
      cursors.forEach(SpanCursor::close);
      partitions.releaseAll(parts);
    }
  }

  /**
   * Whether the span an index entry points to is live and passes the predicate. An entry is
   * stale when its span was written again with another start (same partition) or into a newer
   * partition; the live copy has its own entry, so stale ones are skipped.
   */
  private boolean matches(SpanCursor c, TraceQuery query, List<Partition> newestFirst)
      throws RocksDBException {
    byte[] spanKey = c.spanKey();
    byte[] value = db.get(c.partition.handle, spanKey);
    if (value == null) {
      return false;
    }
    Span span = c.partition.decode(db, spanKey, value);
    if (span.startTimeUnixNano() != c.start || !query.test(span)) {
      return false;
    }
    for (int i = 0; i < c.rank; i++) {
      // Prefix blooms make this cheap when the trace never reached the newer partition.
      if (db.get(newestFirst.get(i).handle, spanKey) != null) {
        return false;
      }
    }
    return true;
  }
}
