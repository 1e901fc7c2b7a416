package io.strand.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

class PostingsTest {

  @TempDir Path dir;

  @Test
  void aRefIsTheBucketAndTheFirstTraceIdByte() {
    long high = 0xAB00_0000_0000_0001L;
    assertThat(Postings.ref(1_999_999, high)).isEqualTo(Postings.ref(1_000_000, high));
    assertThat(Postings.ref(2_000_000, high)).isNotEqualTo(Postings.ref(1_999_999, high));
    assertThat(Postings.ref(1_000_000, 0xAC00_0000_0000_0001L))
        .isNotEqualTo(Postings.ref(1_000_000, high));
    // Negative and extreme starts keep bucket and byte apart, and refs order by bucket.
    assertThat(Postings.ref(-1, 0xFF00_0000_0000_0000L))
        .isNotEqualTo(Postings.ref(-1_000_001, 0xFFL));
    assertThat(Postings.ref(Long.MIN_VALUE, -1L)).isLessThan(Postings.ref(-1, 0));
    assertThat(Postings.ref(-1, -1L)).isLessThan(Postings.ref(0, 0));
    assertThat(Postings.ref(Long.MAX_VALUE, 0)).isGreaterThan(Postings.ref(0, -1L));
    assertThat(Postings.bucketOf(Postings.ref(Long.MIN_VALUE, -1L)))
        .isEqualTo(Postings.bucket(Long.MIN_VALUE));
    assertThat(Postings.bucketOf(Postings.ref(-1, -1L))).isEqualTo(-1);
  }

  @Test
  void encodedPostingsReadBackNewestBucketFirst() {
    Random r = new Random(3);
    for (int round = 0; round < 200; round++) {
      long[] refs = randomRefs(r, 1 + r.nextInt(300));
      byte[] out = new byte[Postings.maxBytes(refs.length)];
      int n = Postings.encode(refs, 0, refs.length, out, 0);
      byte[] value = Arrays.copyOf(out, n);
      List<Long> read = new ArrayList<>();
      Postings.Reader reader =
          Postings.Reader.of(value, Postings.bucketOf(refs[refs.length - 1]));
      do {
        long[] set = new long[4];
        reader.addBytes(set);
        for (int b = 255; b >= 0; b--) {
          if ((set[b >>> 6] & (1L << b)) != 0) {
            read.add((reader.bucket << 8) | b);
          }
        }
      } while (reader.advance());
      List<Long> expected = new ArrayList<>();
      for (int i = refs.length - 1; i >= 0; i--) {
        expected.add(refs[i]);
      }
      assertThat(read).isEqualTo(expected);
    }
  }

  @Test
  void truncatedPostingsFailCleanly() {
    long[] refs = {Postings.ref(5_000_000, 7L << 56), Postings.ref(5_000_000, 9L << 56),
        Postings.ref(900_000_000, 1L << 56)};
    byte[] out = new byte[Postings.maxBytes(3)];
    int n = Postings.encode(refs, 0, 3, out, 0);
    assertThat(n).isEqualTo(7); // {0, 1} then {1791 as 2 bytes, 2, 7, 9}
    for (int cut = 1; cut < n; cut++) {
      if (cut == 2) {
        continue; // a cut between groups reads as a shorter posting
      }
      byte[] value = Arrays.copyOf(out, cut);
      assertThatThrownBy(() -> {
        Postings.Reader reader = Postings.Reader.of(value, 900);
        while (reader != null && reader.advance()) {
          // read on
        }
      }).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void theMergeWalksOverlappingPostingsAndMemoryNewestFirstWithinBounds() throws Exception {
    Random r = new Random(5);
    byte[] term = AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k", "svc").bytes();
    byte[] prefix = Keys.postingPrefix(term);
    try (Options options = new Options().setCreateIfMissing(true);
         RocksDB db = RocksDB.open(options, dir.toString());
         WriteOptions write = new WriteOptions()) {
      TreeSet<Long> all = new TreeSet<>();
      for (int window = 0; window < 30; window++) {
        long[] refs = randomRefs(r, 1 + r.nextInt(60));
        byte[] out = new byte[Postings.maxBytes(refs.length)];
        int n = Postings.encode(refs, 0, refs.length, out, 0);
        db.put(write, Keys.posting(term, Postings.bucketOf(refs[refs.length - 1]), window),
            Arrays.copyOf(out, n));
        for (long ref : refs) {
          all.add(ref);
        }
      }
      // Another term's postings sort right after: the bounds keep them out.
      db.put(write, Keys.posting(
          AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k", "svd").bytes(), 0, 0), new byte[] {0, 1});
      long[] memory = randomRefs(r, 50);
      for (long ref : memory) {
        all.add(ref);
      }
      ColumnFamilyHandle cf = db.getDefaultColumnFamily();
      long ms = 1_000_000L;
      long[][] ranges = {{Long.MIN_VALUE, Long.MAX_VALUE}, {-50, 50}, {0, 0},
          {-10_000 * ms, -5_000 * ms}, {7 * ms, 2_000 * ms}, {-3_000_000 * ms, 500 * ms},
          {Long.MIN_VALUE, -12_000_000 * ms}};
      for (long[] range : ranges) {
        List<Long> expected = new ArrayList<>();
        for (long ref : all.descendingSet()) {
          long bucket = Postings.bucketOf(ref);
          if (bucket >= Postings.bucket(range[0]) && bucket <= Postings.bucket(range[1])) {
            expected.add(ref);
          }
        }
        List<Long> merged = new ArrayList<>();
        try (Bounds b = Bounds.postings(prefix, range[0]);
             RocksIterator it = db.newIterator(cf, b.options)) {
          it.seekToLast();
          Postings.Merge m = new Postings.Merge(it, prefix.length, memory,
              Postings.bucket(range[0]), Postings.bucket(range[1]));
          while (m.next()) {
            int count = 0;
            for (int bt = 255; bt >= 0; bt--) {
              if ((m.traceIdBytes[bt >>> 6] & (1L << bt)) != 0) {
                merged.add((m.bucket << 8) | bt);
                count++;
              }
            }
            assertThat(m.refs).isEqualTo(count);
          }
        }
        assertThat(merged).as("range %s", Arrays.toString(range)).isEqualTo(expected);
      }
    }
  }

  @Test
  void windowsInMemoryFindTheirTermsAcrossBatches() throws Exception {
    Random r = new Random(9);
    byte[][] terms = new byte[600][];
    for (int i = 0; i < terms.length; i++) {
      terms[i] = AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k",
          "s" + r.nextInt(1_000_000) + "-" + i).bytes();
    }
    List<TreeSet<Long>> expected = new ArrayList<>();
    for (int i = 0; i < terms.length; i++) {
      expected.add(new TreeSet<>());
    }
    PendingPostings pending = new PendingPostings();
    try (Options options = new Options().setCreateIfMissing(true);
         RocksDB db = RocksDB.open(options, dir.toString());
         WriteOptions write = new WriteOptions()) {
      ColumnFamilyHandle cf = db.getDefaultColumnFamily();
      for (int batch = 0; batch < 6; batch++) {
        BatchPostings.Builder b = new BatchPostings.Builder();
        int[] slots = new int[terms.length];
        for (int i = 0; i < terms.length; i++) {
          // Half the terms get no refs.
          slots[i] = b.slot(terms[i], hash(terms[i]));
        }
        for (int k = 0; k < 2_000; k++) {
          int i = r.nextInt(terms.length / 2);
          long ref = Postings.ref(r.nextInt(50) * 1_000_000L - 20_000_000L, r.nextLong());
          b.add(slots[i], ref);
          b.add(slots[i], ref);
          expected.get(i).add(ref);
        }
        assertThat(pending.nextBatch(db, cf)).isEqualTo(batch);
        pending.add(b.build(batch, 100));
        if (batch == 2) {
          // Written windows leave memory; the next batches start a new one.
          assertThat(pending.flush(db, cf, write)).isTrue();
          assertThat(pending.isEmpty()).isTrue();
          for (TreeSet<Long> e : expected) {
            e.clear();
          }
        }
      }
      assertThat(pending.spans()).isEqualTo(300);
      for (int i = 0; i < terms.length; i++) {
        long[] refs = pending.refs(terms[i], Long.MIN_VALUE, Long.MAX_VALUE);
        if (expected.get(i).isEmpty()) {
          assertThat(refs).isNull();
        } else {
          assertThat(refs).containsExactly(
              expected.get(i).stream().mapToLong(x -> x).toArray());
        }
        long[] some = pending.refs(terms[i], -5, 10);
        assertThat(some == null ? new long[0] : some).containsExactly(expected.get(i).stream()
            .mapToLong(x -> x).filter(x -> Postings.bucketOf(x) >= -5
                && Postings.bucketOf(x) <= 10).toArray());
      }
      assertThat(pending.refs(AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k", "nope").bytes(),
          Long.MIN_VALUE, Long.MAX_VALUE)).isNull();
    }
  }

  @Test
  void termsSharingAHashKeepTheirOwnPostings() throws Exception {
    // "Aa" and "BB" hash alike, and so do the four strings made of them.
    String[] values = {"AaAa", "BBBB", "AaBB", "BBAa"};
    byte[][] terms = new byte[values.length][];
    for (int i = 0; i < values.length; i++) {
      terms[i] = AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k", values[i]).bytes();
      assertThat(hash(terms[i])).isEqualTo(hash(terms[0]));
    }
    PendingPostings pending = new PendingPostings();
    try (Options options = new Options().setCreateIfMissing(true);
         RocksDB db = RocksDB.open(options, dir.toString());
         WriteOptions write = new WriteOptions()) {
      ColumnFamilyHandle cf = db.getDefaultColumnFamily();
      for (int batch = 0; batch < 3; batch++) {
        BatchPostings.Builder b = new BatchPostings.Builder();
        // Each batch meets the terms in another order; term i gets refs in bucket i only.
        for (int j = 0; j < values.length; j++) {
          int i = (j + batch) % values.length;
          int slot = b.slot(terms[i], hash(terms[i]));
          b.add(slot, Postings.ref(i * 1_000_000L, ((long) batch) << 56));
        }
        pending.add(b.build(pending.nextBatch(db, cf), 4));
      }
      for (int i = 0; i < values.length; i++) {
        assertThat(pending.refs(terms[i], Long.MIN_VALUE, Long.MAX_VALUE)).containsExactly(
            Postings.ref(i * 1_000_000L, 0), Postings.ref(i * 1_000_000L, 1L << 56),
            Postings.ref(i * 1_000_000L, 2L << 56));
      }
      pending.flush(db, cf, write);
      for (int i = 0; i < values.length; i++) {
        byte[] prefix = Keys.postingPrefix(terms[i]);
        try (Bounds bounds = Bounds.postings(prefix, Long.MIN_VALUE);
             RocksIterator it = db.newIterator(cf, bounds.options)) {
          it.seekToLast();
          Postings.Merge m = new Postings.Merge(it, prefix.length, null, Long.MIN_VALUE,
              Long.MAX_VALUE);
          assertThat(m.next()).isTrue();
          assertThat(m.bucket).isEqualTo(i);
          assertThat(m.traceIdBytes).containsExactly(7, 0, 0, 0);
          assertThat(m.next()).isFalse();
        }
      }
    }
  }

  /** The term's hash: what every caller passes. */
  private static int hash(byte[] term) {
    return Arrays.hashCode(term);
  }

  /** Distinct refs, ascending, clustered around a few buckets (negative ones too). */
  private static long[] randomRefs(Random r, int n) {
    TreeSet<Long> refs = new TreeSet<>();
    long base = (r.nextInt(40) - 20) * 1_000_000_000L;
    while (refs.size() < n) {
      long start = base + r.nextInt(r.nextBoolean() ? 5 : 20_000) * 1_000_000L
          + r.nextInt(1_000_000);
      refs.add(Postings.ref(start, ((long) r.nextInt(r.nextBoolean() ? 4 : 256)) << 56));
    }
    return refs.stream().mapToLong(x -> x).toArray();
  }
}
