package io.strand.storage.rocksdb;

import io.strand.model.InstrumentationScope;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.storage.StorageException;
import io.strand.storage.rocksdb.SpanCodec.ResourceScope;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * A partition's dictionary of resources and instrumentation scopes ({@code 0x0F | id}), which
 * span values name by id ({@link SpanCodec#encode(Span, int)}): every span of a service instance
 * carries the same ones, a third or more of its bytes.
 *
 * <p>An entry is written in the batch of the first span that needs it, and remembered once that
 * batch is durable; until then, other batches write their own entry (with another id) for the
 * same pair, which is harmless. Ids come from a counter that starts above the highest id in the
 * partition. Beyond {@value #MAX_ENTRIES} entries, spans carry their resource inline (version
 * 1), so that a sender with ever-changing resource attributes cannot grow the dictionary without
 * bound.
 */
final class ResourceDictionary {

  /** Entries a partition holds at most. */
  static final int MAX_ENTRIES = 10_000;

  /** Durable entries by value, for writers. */
  private final Map<ResourceScope, Integer> ids = new ConcurrentHashMap<>();
  /** Entries by id, for readers; loaded on demand. */
  private final Map<Integer, ResourceScope> byId = new ConcurrentHashMap<>();
  /** The next id; guarded by this, loaded on first use. */
  private int next = -1;

  /** The entry with this id in the partition {@code cf}. */
  ResourceScope get(RocksDB db, ColumnFamilyHandle cf, int id) {
    ResourceScope rs = byId.get(id);
    if (rs != null) {
      return rs;
    }
    byte[] entry;
    try {
      entry = db.get(cf, Keys.resource(id));
    } catch (RocksDBException e) {
      throw new StorageException("reading resource " + id + " failed: " + e.getMessage(), e);
    }
    if (entry == null) {
      throw new IllegalArgumentException("corrupt span value: no resource " + id);
    }
    rs = SpanCodec.decodeResource(entry);
    byId.putIfAbsent(id, rs);
    return rs;
  }

  /** The ids one write batch uses, and the entries it adds. Not thread-safe. */
  final class Batch {
    private final RocksDB db;
    private final ColumnFamilyHandle cf;
    private final WriteBatch batch;
    private final SpanCodec codec;
    /** Decoders share resource and scope objects among spans: identity finds repeats cheaply. */
    private final Map<Resource, Map<InstrumentationScope, Integer>> seen =
        new IdentityHashMap<>();
    private final Map<ResourceScope, Integer> added = new HashMap<>();

    Batch(RocksDB db, ColumnFamilyHandle cf, WriteBatch batch, SpanCodec codec) {
      this.db = db;
      this.cf = cf;
      this.batch = batch;
      this.codec = codec;
    }

    /** The id of a span's resource and scope, adding the entry to the batch if new; -1: inline. */
    int id(Span s) throws RocksDBException {
      Map<InstrumentationScope, Integer> scopes = seen.get(s.resource());
      if (scopes == null) {
        scopes = new IdentityHashMap<>(2);
        seen.put(s.resource(), scopes);
      }
      Integer id = scopes.get(s.scope());
      if (id == null) {
        id = lookUp(new ResourceScope(s.resource(), s.scope()));
        scopes.put(s.scope(), id);
      }
      return id;
    }

    private int lookUp(ResourceScope rs) throws RocksDBException {
      Integer id = ids.get(rs);
      if (id == null) {
        id = added.get(rs);
      }
      if (id == null) {
        id = allocate(db, cf);
        if (id >= 0) {
          batch.put(cf, Keys.resource(id), codec.encodeResource(rs.resource(), rs.scope()));
          added.put(rs, id);
        }
      }
      return id;
    }

    /** Remembers the entries this batch added; call once it is durable. */
    void committed() {
      for (Map.Entry<ResourceScope, Integer> e : added.entrySet()) {
        ids.putIfAbsent(e.getKey(), e.getValue());
        byId.putIfAbsent(e.getValue(), e.getKey());
      }
    }
  }

  /** A new id, or -1 once the partition holds {@value #MAX_ENTRIES}. */
  private synchronized int allocate(RocksDB db, ColumnFamilyHandle cf) throws RocksDBException {
    if (next < 0) {
      next = 0;
      try (Bounds b = Bounds.prefix(new byte[] {Keys.RESOURCE});
           RocksIterator it = db.newIterator(cf, b.options)) {
        it.seekToLast();
        if (it.isValid() && it.key().length == 5) {
          byte[] k = it.key();
          next = ((k[1] & 0xFF) << 24 | (k[2] & 0xFF) << 16 | (k[3] & 0xFF) << 8 | (k[4] & 0xFF))
              + 1;
        }
        it.status();
      }
    }
    return next < MAX_ENTRIES ? next++ : -1;
  }

  /** For tests: the entries writers know. */
  List<Integer> knownIds() {
    return List.copyOf(ids.values());
  }
}
