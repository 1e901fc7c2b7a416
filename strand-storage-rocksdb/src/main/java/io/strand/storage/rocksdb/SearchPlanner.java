package io.strand.storage.rocksdb;

import io.strand.storage.TraceQuery;
import io.strand.storage.rocksdb.AttributeTerms.Term;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Chooses the index runs a search walks in each partition. Every option yields a superset of
 * the spans that can match; the query's predicate decides, so the choice changes cost, never
 * results.
 *
 * <ul>
 *   <li>An attribute equality: the postings of its span attribute term ({@code 0x0B}), plus the
 *       {@code 0x04} run of each service whose resources carry the pair ({@code 0x08}), since a
 *       span without the key inherits its resource's. Where the term is too common to be
 *       indexed ({@code 0x09}, see {@link DenseTerms}), the service's or the whole time index
 *       instead.
 *   <li>The query's service: its {@code 0x04} run.
 *   <li>Otherwise the whole time index ({@code 0x05}).
 * </ul>
 *
 * In a partition an earlier version created with per-span attribute entries ({@code 0x07}), the
 * spans it wrote are found through those, so that run is walked as well; in one from before the
 * attribute index, attribute criteria fall back.
 *
 * With more than one option, a bounded probe counts each option's entries in the start range,
 * newest partition first, and the smallest wins (ties: attributes in key order, then service).
 * Fewer entries means fewer candidates fetched per match, since every option holds every match.
 */
final class SearchPlanner {

  /** Most entries the probe counts per option: enough to tell rare from common. */
  static final int PROBE_LIMIT = 1_000;

  private static final List<IndexRun> WHOLE_TIME_INDEX =
      List.of(IndexRun.time(Keys.TIME_PREFIX));

  private final RocksDB db;
  private final List<Partition> newestFirst;
  private final TraceQuery query;
  /** The query's service name as key bytes, or null. */
  private final byte[] serviceName;

  private SearchPlanner(RocksDB db, List<Partition> newestFirst, TraceQuery query) {
    this.db = db;
    this.newestFirst = newestFirst;
    this.query = query;
    this.serviceName = query.serviceName() == null ? null : Text.keyBytes(query.serviceName());
  }

  /** What a partition walks without an attribute run: the service's or the whole time index. */
  private List<IndexRun> fallback(Partition p) {
    return serviceName == null ? WHOLE_TIME_INDEX : List.of(serviceRun(serviceName));
  }

  /** The run holding every span of a service. */
  private static IndexRun serviceRun(byte[] service) {
    return IndexRun.time(Keys.named(Keys.SERVICE_TIME, service));
  }

  /** The runs to walk in each of {@code newestFirst}, by position. */
  static List<List<IndexRun>> plan(RocksDB db, List<Partition> newestFirst, TraceQuery query)
      throws RocksDBException {
    return new SearchPlanner(db, newestFirst, query).choose().runsOfAll();
  }

  private Option choose() throws RocksDBException {
    List<Option> options = new ArrayList<>();
    Map<String, String> sorted = new TreeMap<>(query.attributes());
    for (Map.Entry<String, String> e : sorted.entrySet()) {
      Term term = AttributeTerms.of(Keys.SPAN_ATTRIBUTE, e.getKey(), e.getValue());
      options.add(new Option(p -> attributeRuns(p, term)));
    }
    if (query.serviceName() != null) {
      options.add(new Option(this::fallback));
    }
    if (options.isEmpty()) {
      return new Option(this::fallback);
    }
    Option best = options.get(0);
    long bestCount = options.size() == 1 ? 0 : best.count(PROBE_LIMIT);
    for (int i = 1; i < options.size() && bestCount > 0; i++) {
      // Counting stops at the best so far: a smaller option wins, and so does an equal one
      // that walks its own runs where the best falls back to a time index (the bound hides
      // how much larger that is).
      Option option = options.get(i);
      long count = option.count(bestCount);
      if (count < bestCount || (best.fellBack && !option.fellBack)) {
        best = option;
        bestCount = count;
      }
    }
    return best;
  }

  /**
   * The span attribute term's postings, and the service runs the resource attribute catalog
   * names; null where the term was too common to index (see {@link DenseTerms}), or where an
   * older version wrote the partition without an attribute index.
   */
  private List<IndexRun> attributeRuns(Partition p, Term term) throws RocksDBException {
    Partition.Index index = p.index(db);
    if (index == Partition.Index.NONE
        || db.get(p.handle, term.as(Keys.DENSE_TERM)) != null) {
      return null;
    }
    List<IndexRun> runs = new ArrayList<>();
    runs.add(IndexRun.postings(term.bytes()));
    if (index == Partition.Index.ATTRIBUTE_ENTRIES) {
      runs.add(IndexRun.entries(term.bytes()));
    }
    byte[] resourceTerm = term.as(Keys.RESOURCE_ATTRIBUTE);
    for (byte[] key : Partitions.keysWithPrefix(db, p, resourceTerm)) {
      byte[] service = Keys.lastNameBytes(key, resourceTerm.length);
      // Spans of other services cannot match a query that names one.
      if (serviceName == null || Arrays.equals(serviceName, service)) {
        runs.add(serviceRun(service));
      }
    }
    return runs;
  }

  /** How an option finds its runs in a partition; null to fall back. */
  @FunctionalInterface
  private interface RunSource {
    List<IndexRun> runs(Partition p) throws RocksDBException;
  }

  /** One way to answer the query, with its runs per partition computed once, on demand. */
  private final class Option {
    private final RunSource source;
    private final List<List<IndexRun>> byPosition = new ArrayList<>();
    /** Whether the probe met a partition where this option falls back. */
    boolean fellBack;

    Option(RunSource source) {
      this.source = source;
    }

    /** The runs in a partition, null where the option falls back. */
    private List<IndexRun> own(int position) throws RocksDBException {
      while (byPosition.size() <= position) {
        byPosition.add(source.runs(newestFirst.get(byPosition.size())));
      }
      return byPosition.get(position);
    }

    List<List<IndexRun>> runsOfAll() throws RocksDBException {
      List<List<IndexRun>> all = new ArrayList<>(newestFirst.size());
      for (int i = 0; i < newestFirst.size(); i++) {
        List<IndexRun> own = own(i);
        all.add(own == null ? fallback(newestFirst.get(i)) : own);
      }
      return all;
    }

    /** Entries of this option in the start range, newest partition first, up to {@code bound}. */
    long count(long bound) throws RocksDBException {
      long n = 0;
      for (int i = 0; i < newestFirst.size() && n < bound; i++) {
        if (own(i) == null) {
          // A time index walked where the term fills a tenth or more of it (or has no index):
          // as large as any.
          fellBack = true;
          return bound;
        }
        for (IndexRun run : own(i)) {
          n += run.count(db, newestFirst.get(i), query, bound - n);
          if (n >= bound) {
            break;
          }
        }
      }
      return n;
    }
  }
}
