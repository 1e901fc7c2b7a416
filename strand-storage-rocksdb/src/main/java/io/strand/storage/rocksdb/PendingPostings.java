package io.strand.storage.rocksdb;

import io.strand.model.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The postings of a partition's batches that are durable but not yet written as posting lists:
 * the current <em>window</em>. A write batch puts its spans, their time-index entries and the
 * list of its span keys ({@code 0x0C}) in one synced write, then adds its postings here, where
 * searches find them. Once the window is full, {@link #flush} writes one posting per term for
 * all its batches together, deletes their {@code 0x0C} lists in the same write, and drops them
 * from memory. Writing per window instead of per span or per batch is what makes the index cheap:
 * most terms of a batch are rare (paths, ids, sizes), so a posting per batch would still be
 * nearly a key per span and term (measured: 7.6 distinct terms per span in 512-span batches,
 * against 9.2 entries; 0.9 per span in a 128k-span window).
 *
 * <p>A crash loses the window in memory, never an entry: the {@code 0x0C} lists left in the
 * partition name the spans whose postings were not written, and {@link #recover} indexes them
 * again when the store opens.
 *
 * <p>Batch numbers are unique within the partition: a window's postings are keyed by its
 * lowest batch number, and {@code 0x0E} records the highest number written, so numbers are not
 * reused after a restart even once every {@code 0x0C} list is gone.
 *
 * <p>Searches read the window before they open their RocksDB iterators, and a flush writes
 * before it drops the window, so a search sees every ref at least once.
 */
final class PendingPostings {

  /**
   * A window holds this many spans at most before it is written. Larger windows share a key
   * among more refs of a term (measured on realistic spans: 3.1 keys and 42 bytes of postings
   * per span at 16k spans, 2.2 and 37 at 32k, 1.4 and 33 at 64k, 0.9 and 30 at 128k), at about
   * 440 bytes of heap per span held. 128k rather than 64k: 3 bytes/span less on disk and, with
   * fewer keys to write, 5–15% more sustained ingest (alternating 30 s runs).
   */
  static final int WINDOW_SPANS = 131_072;
  /**
   * ... or this many bytes of postings in memory: a sixteenth of the heap, between 8 and 64 MiB,
   * so that a small heap (the overload test runs with 256 MiB) is not filled by windows.
   */
  static final long WINDOW_BYTES =
      Math.clamp(Runtime.getRuntime().maxMemory() / 16, 8L << 20, 64L << 20);
  /** Beyond this many windows in memory, writers write the postings themselves. */
  static final int MAX_WINDOWS = 3;

  /** Batches held, in the order they were added; replaced, never modified (copy on write). */
  private volatile BatchPostings[] batches = new BatchPostings[0];
  /** Guarded by this. */
  private long spans;
  /** Guarded by this. */
  private long bytes;
  /** The next batch number; guarded by this, loaded on first use. */
  private long nextBatch = -1;
  /** The highest batch number written to {@code 0x0E}; guarded by {@link #flushLock}. */
  private long lastWritten = -1;
  /** One flush at a time. */
  private final ReentrantLock flushLock = new ReentrantLock();
  /** Whether a background flush is queued; see {@link PostingFlusher}. */
  final AtomicBoolean flushQueued = new AtomicBoolean();

  /** A new batch number for the partition {@code cf}. */
  synchronized long nextBatch(RocksDB db, ColumnFamilyHandle cf) throws RocksDBException {
    if (nextBatch < 0) {
      nextBatch = lastUsed(db, cf) + 1;
    }
    return nextBatch++;
  }

  /** The highest batch number the partition has used: in {@code 0x0E} or a {@code 0x0C} key. */
  private static long lastUsed(RocksDB db, ColumnFamilyHandle cf) throws RocksDBException {
    long last = -1;
    byte[] written = db.get(cf, Keys.LAST_BATCH);
    if (written != null && written.length == 8) {
      last = Keys.getLong(written, 0);
    }
    try (Bounds b = Bounds.prefix(new byte[] {Keys.PENDING});
         RocksIterator it = db.newIterator(cf, b.options)) {
      it.seekToLast();
      if (it.isValid() && it.key().length >= 9) {
        last = Math.max(last, Keys.getLong(it.key(), 1));
      }
      it.status();
    }
    return last;
  }

  /** Adds a durable batch's postings; returns whether a window is full. */
  synchronized boolean add(BatchPostings b) {
    BatchPostings[] next = Arrays.copyOf(batches, batches.length + 1);
    next[batches.length] = b;
    batches = next;
    spans += b.spans;
    bytes += b.bytes();
    return full(1);
  }

  /** Whether at least {@code windows} windows' worth of spans or bytes are held. */
  synchronized boolean full(int windows) {
    return spans >= (long) windows * WINDOW_SPANS || bytes >= windows * WINDOW_BYTES;
  }

  boolean isEmpty() {
    return batches.length == 0;
  }

  /** Spans held, for tests. */
  synchronized long spans() {
    return spans;
  }

  /**
   * The refs of {@code term} held here in buckets {@code [minBucket, maxBucket]}, ascending and
   * distinct; null when there are none. Call before opening the iterators of the search it
   * serves.
   */
  long[] refs(byte[] term, long minBucket, long maxBucket) {
    BatchPostings[] held = batches;
    int hash = Arrays.hashCode(term);
    long[] out = null;
    int n = 0;
    for (BatchPostings b : held) {
      int t = b.find(term, hash);
      if (t < 0) {
        continue;
      }
      long[] refs = b.refArray();
      for (int i = b.refStart(t); i < b.refEnd(t); i++) {
        long bucket = Postings.bucketOf(refs[i]);
        if (bucket >= minBucket && bucket <= maxBucket) {
          if (out == null) {
            out = new long[16];
          } else if (n == out.length) {
            out = Arrays.copyOf(out, n * 2);
          }
          out[n++] = refs[i];
        }
      }
    }
    if (out == null) {
      return null;
    }
    Arrays.sort(out, 0, n);
    n = distinct(out, n);
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /**
   * Writes the postings of every batch held as one window (one posting per term, keyed by the
   * window's lowest batch number), deletes their {@code 0x0C} lists in the same write, and only
   * then drops them from memory. The write is not synced: the log is sequential, so it is
   * durable once a later synced write is, and until then a crash leaves the {@code 0x0C} lists
   * in place. The caller holds a reference to the partition.
   *
   * @return whether anything was written
   */
  boolean flush(RocksDB db, ColumnFamilyHandle cf, WriteOptions options)
      throws RocksDBException {
    flushLock.lock();
    try {
      BatchPostings[] taken = batches;
      if (taken.length == 0) {
        return false;
      }
      if (lastWritten < 0) {
        byte[] written = db.get(cf, Keys.LAST_BATCH);
        lastWritten = written != null && written.length == 8 ? Keys.getLong(written, 0) : -1;
      }
      try (WriteBatch wb = new WriteBatch()) {
        lastWritten = Math.max(lastWritten, write(wb, cf, taken));
        byte[] value = new byte[8];
        Keys.putLong(value, 0, lastWritten);
        wb.put(cf, Keys.LAST_BATCH, value);
        db.write(options, wb);
      }
      synchronized (this) {
        // Only a flush removes batches, and it holds the lock: the held ones start with these.
        batches = Arrays.copyOfRange(batches, taken.length, batches.length);
        for (BatchPostings b : taken) {
          spans -= b.spans;
          bytes -= b.bytes();
        }
      }
      return true;
    } finally {
      flushLock.unlock();
    }
  }

  /** Drops what is held, without writing it; for tests that stand for a crash. */
  synchronized void clear() {
    batches = new BatchPostings[0];
    spans = 0;
    bytes = 0;
  }

  /**
   * Puts a window's postings and deletes its batches' {@code 0x0C} lists; returns its highest
   * batch number. Each batch's terms are sorted by hash, so a merge by hash walks every batch in
   * order and meets equal terms together.
   */
  private static long write(WriteBatch wb, ColumnFamilyHandle cf, BatchPostings[] window)
      throws RocksDBException {
    long number = Long.MAX_VALUE;
    long last = -1;
    for (BatchPostings b : window) {
      number = Math.min(number, b.batch);
      last = Math.max(last, b.batch);
    }
    // A binary heap of batches by the hash of their next term.
    int k = window.length;
    int[] next = new int[k];
    int[] heap = new int[k];
    int size = 0;
    for (int bi = 0; bi < k; bi++) {
      if (window[bi].termCount() > 0) {
        heap[size] = bi;
        siftUp(heap, size++, window, next);
      }
    }
    long[] refs = new long[1024];
    byte[] value = new byte[Postings.maxBytes(refs.length)];
    // The terms sharing the current hash: (batch, term) pairs, and whether each is written.
    int[] memberBatch = new int[Math.max(16, k)];
    int[] memberTerm = new int[memberBatch.length];
    boolean[] done = new boolean[memberBatch.length];
    while (size > 0) {
      int hash = window[heap[0]].hash(next[heap[0]]);
      int members = 0;
      while (size > 0 && window[heap[0]].hash(next[heap[0]]) == hash) {
        int bi = heap[0];
        BatchPostings b = window[bi];
        for (; next[bi] < b.termCount() && b.hash(next[bi]) == hash; next[bi]++) {
          if (members == memberBatch.length) {
            memberBatch = Arrays.copyOf(memberBatch, members * 2);
            memberTerm = Arrays.copyOf(memberTerm, members * 2);
            done = Arrays.copyOf(done, members * 2);
          }
          memberBatch[members] = bi;
          memberTerm[members] = next[bi];
          done[members++] = false;
        }
        if (next[bi] < b.termCount()) {
          siftDown(heap, 0, size, window, next);
        } else {
          heap[0] = heap[--size];
          siftDown(heap, 0, size, window, next);
        }
      }
      // Almost always one term; seldom a few that share the hash.
      for (int first = 0; first < members; first++) {
        if (done[first]) {
          continue;
        }
        BatchPostings fb = window[memberBatch[first]];
        int ft = memberTerm[first];
        int n = 0;
        int merged = 0;
        for (int i = first; i < members; i++) {
          if (done[i]) {
            continue;
          }
          BatchPostings b = window[memberBatch[i]];
          int t = memberTerm[i];
          if (i != first && !fb.sameTerm(ft, b, t)) {
            continue;
          }
          done[i] = true;
          int from = b.refStart(t);
          int count = b.refEnd(t) - from;
          if (n + count > refs.length) {
            refs = Arrays.copyOf(refs, Math.max(refs.length * 2, n + count));
          }
          System.arraycopy(b.refArray(), from, refs, n, count);
          n += count;
          merged++;
        }
        if (merged > 1) {
          Arrays.sort(refs, 0, n);
          n = distinct(refs, n);
        }
        if (Postings.maxBytes(n) > value.length) {
          value = new byte[Postings.maxBytes(n)];
        }
        int length = Postings.encode(refs, 0, n, value, 0);
        byte[] term = Arrays.copyOfRange(fb.termBytes(), fb.termStart(ft), fb.termEnd(ft));
        wb.put(cf, Keys.posting(term, Postings.bucketOf(refs[n - 1]), number),
            Arrays.copyOf(value, length));
      }
    }
    for (BatchPostings b : window) {
      wb.delete(cf, Keys.pending(b.batch));
    }
    return last;
  }

  private static boolean before(int a, int b, BatchPostings[] window, int[] next) {
    int ha = window[a].hash(next[a]);
    int hb = window[b].hash(next[b]);
    return ha < hb || (ha == hb && a < b);
  }

  private static void siftUp(int[] heap, int i, BatchPostings[] window, int[] next) {
    int x = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!before(x, heap[parent], window, next)) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = x;
  }

  private static void siftDown(int[] heap, int i, int size, BatchPostings[] window,
      int[] next) {
    if (size == 0) {
      return;
    }
    int x = heap[i];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && before(heap[child + 1], heap[child], window, next)) {
        child++;
      }
      if (!before(heap[child], x, window, next)) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = x;
  }

  private static int distinct(long[] sorted, int n) {
    int out = 0;
    for (int i = 0; i < n; i++) {
      if (out == 0 || sorted[out - 1] != sorted[i]) {
        sorted[out++] = sorted[i];
      }
    }
    return out;
  }

  /**
   * Indexes again the batches a partition lists in {@code 0x0C} (those whose postings a crash
   * lost) and writes their postings; for open, before any write or search. Every term is
   * indexed, dense ones too: the counts behind {@link DenseTerms} are gone.
   *
   * @return the spans indexed again
   */
  long recover(RocksDB db, Partition p, WriteOptions options) throws RocksDBException {
    ColumnFamilyHandle cf = p.handle;
    long recovered = 0;
    List<BatchPostings> found = new ArrayList<>();
    List<byte[]> legacyLists = new ArrayList<>();
    try (Bounds b = Bounds.prefix(new byte[] {Keys.PENDING});
         RocksIterator it = db.newIterator(cf, b.options)) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        byte[] key = it.key();
        byte[] list = it.value();
        // Lists of this version name each span's entry start; those of earlier versions
        // (shorter keys) list span keys only, whose entries were per span, at their start.
        boolean grouped = key.length == 10 && key[9] == Keys.GROUPED_PENDING;
        int stride = grouped ? Keys.PENDING_ENTRY_LENGTH : Keys.SPAN_SUFFIX_LENGTH;
        if ((key.length != 9 && !grouped) || list.length % stride != 0) {
          continue;
        }
        if (!grouped) {
          legacyLists.add(key);
        }
        int n = list.length / stride;
        List<byte[]> spanKeys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          byte[] spanKey = new byte[1 + Keys.SPAN_SUFFIX_LENGTH];
          spanKey[0] = Keys.SPAN;
          System.arraycopy(list, i * stride, spanKey, 1, Keys.SPAN_SUFFIX_LENGTH);
          spanKeys.add(spanKey);
        }
        List<byte[]> values = db.multiGetAsList(Collections.nCopies(n, cf), spanKeys);
        SpanTerms terms = new SpanTerms(null, n);
        for (int i = 0; i < n; i++) {
          byte[] value = values.get(i);
          if (value == null) {
            continue;
          }
          Span s = p.decode(db, spanKeys.get(i), value);
          terms.add(s, grouped ? Keys.getLong(list, i * stride + Keys.SPAN_SUFFIX_LENGTH)
              : s.startTimeUnixNano());
          recovered++;
        }
        found.add(terms.build(Keys.getLong(key, 1)));
      }
      it.status();
    }
    for (BatchPostings b : found) {
      add(b);
    }
    flush(db, cf, options);
    // The flush deleted this version's lists; an earlier version's go once indexed.
    if (!legacyLists.isEmpty()) {
      try (WriteBatch wb = new WriteBatch()) {
        for (byte[] key : legacyLists) {
          wb.delete(cf, key);
        }
        db.write(options, wb);
      }
    }
    return recovered;
  }
}
