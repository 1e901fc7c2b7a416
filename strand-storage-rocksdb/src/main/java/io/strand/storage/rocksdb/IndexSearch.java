package io.strand.storage.rocksdb;

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
   * Merges the partitions' indexes newest-start first. An entry's start bounds the starts of the
   * spans it stands for from above; when it comes up, its spans are read and the latest start
   * among those that pass the predicate, if any, goes back into the merge as that trace's
   * candidate. A candidate that comes up is next for certain: every entry left has a lower
   * bound. So the first candidate of a trace gives its sort key, the start of its latest
   * matching span. Once {@code limit} traces are found, the scan continues only through
   * entries tied with the last one, then sorts and cuts, which settles ties by trace id.
   */
  private List<TraceId> search(TraceQuery query) {
    List<Partition> parts = partitions.acquireNewestFirst();
    List<SpanCursor> cursors = new ArrayList<>();
    GroupReader groups = new GroupReader(db, parts, query);
    try {
      List<List<IndexRun>> plan = SearchPlanner.plan(db, parts, query);
      PriorityQueue<Ranked> queue = new PriorityQueue<>(
          Comparator.comparingLong((Ranked r) -> r.start).reversed());
      for (int rank = 0; rank < parts.size(); rank++) {
        for (IndexRun run : plan.get(rank)) {
          SpanCursor c = run.cursor(db, parts.get(rank), rank, query);
          cursors.add(c);
          if (c.first()) {
            queue.add(new Ranked(c.start, c, null));
          }
        }
      }
      Map<TraceId, Long> found = new HashMap<>();
      long cutoff = Long.MIN_VALUE; // start of the limit-th trace found
      while (!queue.isEmpty()) {
        Ranked r = queue.poll();
        if (found.size() >= query.limit() && r.start < cutoff) {
          break;
        }
        SpanCursor c = r.cursor;
        if (c == null) {
          if (found.putIfAbsent(r.candidate, r.start) == null && found.size() == query.limit()) {
            cutoff = r.start;
          }
          continue;
        }
        if (!found.containsKey(c.traceId) && groups.match(c)) {
          queue.add(new Ranked(groups.latest, null, c.traceId));
        }
        if (c.next()) {
          queue.add(new Ranked(c.start, c, null));
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
      groups.close();
      cursors.forEach(SpanCursor::close);
      partitions.releaseAll(parts);
    }
  }

  /** In the merge: a cursor at its current entry, or a trace's candidate start. */
  private record Ranked(long start, SpanCursor cursor, TraceId candidate) {}
}
