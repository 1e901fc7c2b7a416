package io.strand.storage.rocksdb;

import org.rocksdb.ReadOptions;
import org.rocksdb.Slice;

/**
 * Read options that confine an iterator to one key range (total-order seeks, since the prefix
 * extractor only knows trace prefixes), with the native slices they refer to; close it after
 * the iterators made with it.
 */
final class Bounds implements AutoCloseable {

  final ReadOptions options;
  private final Slice lower;
  private final Slice upper;

  private Bounds(byte[] lowerKey, byte[] upperKey) {
    this.lower = new Slice(lowerKey);
    this.upper = upperKey == null ? null : new Slice(upperKey);
    this.options = new ReadOptions().setTotalOrderSeek(true).setIterateLowerBound(lower);
    if (upper != null) {
      options.setIterateUpperBound(upper);
    }
  }

  /** Every key starting with {@code prefix}. */
  static Bounds prefix(byte[] prefix) {
    return new Bounds(prefix, Keys.successor(prefix));
  }

  /** Index entries {@code prefix | start | ...} whose start is in {@code [min, max]}. */
  static Bounds starts(byte[] prefix, long min, long max) {
    return new Bounds(Keys.indexBound(prefix, min),
        Keys.successor(Keys.indexBound(prefix, max)));
  }

  /** Attribute index entries {@code prefix | bucket | ...} of buckets in {@code [min, max]}. */
  static Bounds buckets(byte[] prefix, long min, long max) {
    return new Bounds(Keys.refBound(prefix, min), Keys.successor(Keys.refBound(prefix, max)));
  }

  /**
   * Postings {@code postingPrefix | maxBucket | ...} that can hold refs at or after {@code min}:
   * those whose newest bucket is not older. (Newer postings may still hold older refs.)
   */
  static Bounds postings(byte[] postingPrefix, long min) {
    return new Bounds(Keys.postingBound(postingPrefix, Postings.bucket(min)),
        Keys.successor(postingPrefix));
  }

  @Override
  public void close() {
    options.close();
    lower.close();
    if (upper != null) {
      upper.close();
    }
  }
}
