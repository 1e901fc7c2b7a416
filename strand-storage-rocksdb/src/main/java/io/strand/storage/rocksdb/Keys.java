package io.strand.storage.rocksdb;

import io.strand.model.SpanKind;
import io.strand.model.TraceId;
import java.util.Arrays;

/**
 * Key layout inside one partition column family. Every key starts with a one-byte table tag;
 * numbers are big-endian so byte order is numeric order, and start times are sign-flipped so
 * that negative times still sort before positive ones.
 *
 * <pre>
 * 0x01 | traceId(16) | spanId(8) | kind(1)                                  → encoded span
 * 0x02 | service | 0x00                                                     → (empty)
 * 0x03 | service | 0x00 | operation | 0x00 | kind(1)                        → (empty)
 * 0x04 | service | 0x00 | maxStart(8) | traceId(16) | batch(4)              → durations
 * 0x05 | maxStart(8) | traceId(16) | batch(4)                               → durations
 * 0x06 | service | 0x00 | peer.service | 0x00                              → (empty)
 * 0x08 | key | 0x00 | value | 0x00 | service | 0x00                         → (empty)
 * 0x09 | key | 0x00 | value | 0x00                                          → (empty)
 * 0x0B | term | maxBucket(8) | window(8)                                    → posting
 * 0x0C | batch(8) | 0x02                                                    → span keys, starts
 * 0x0D                                                                      → (empty)
 * 0x0E                                                                      → last batch(8)
 * 0x0F | id(4)                                                              → resource, scope
 * term := 0x07 | key | 0x00 | value | 0x00
 *
 * written by earlier versions, still read:
 * 0x04 | service | 0x00 | start(8) | traceId(16) | spanId(8) | kind(1)      → duration varint
 * 0x05 | start(8) | traceId(16) | spanId(8) | kind(1)                       → duration varint
 * 0x07 | key | 0x00 | value | 0x00 | startMillis(8) | traceId[0](1)         → (empty)
 * 0x0C | batch(8)                                                           → span keys
 * 0x0A                                                                      → (empty)
 * </pre>
 *
 * {@code 0x01} values name their resource and instrumentation scope by an id of the
 * partition's dictionary, {@code 0x0F} (see {@link ResourceDictionary}).
 *
 * <p>The time indexes {@code 0x04} (per service) and {@code 0x05} (all spans) hold one entry per
 * <em>span group</em> (see {@link SpanGroups}): the spans of one trace in one write batch whose
 * starts fall in the same {@link #GROUP_NANOS} window, keyed by the latest start among them (and
 * the batch, so that another batch's group of the trace cannot replace it) and valued with their
 * shortest and longest duration. A search reads a group's spans from the
 * trace's span records. Earlier versions wrote one entry per span, 9 bytes longer (span id and
 * kind), which are still read as groups of one.
 *
 * <p>{@code 0x0B} holds the posting lists of the span attribute index ({@link Postings}): one
 * key per term and <em>window</em> of many write batches, whose value lists references into the
 * time index {@code 0x05}, each a millisecond of start and a first trace-id byte (see {@link
 * RefCursor}). Batches are indexed in memory ({@link PendingPostings}) and written as postings
 * once a window is full; until then {@code 0x0C} lists each batch's spans, so that a restart can
 * index them again, and {@code 0x0E} keeps batch numbers unique. {@code 0x08} lists, per
 * resource attribute, the services whose resources carry it, whose {@code 0x04} runs then serve
 * a search. {@code 0x09} marks a span attribute term too common in the partition to be indexed
 * (see {@link DenseTerms}). {@code 0x0D} says the partition was created with postings; {@code
 * 0x0A} that an earlier version created it with per-span attribute entries ({@code 0x07}, one
 * key per span and term).
 *
 * <p>Names are {@link Text#keyBytes}, which never contain {@code 0x00}, so the terminator is
 * unambiguous.
 */
final class Keys {

  static final byte SPAN = 0x01;
  static final byte SERVICE = 0x02;
  static final byte OPERATION = 0x03;
  static final byte SERVICE_TIME = 0x04;
  static final byte TIME = 0x05;
  static final byte REMOTE_SERVICE = 0x06;
  static final byte SPAN_ATTRIBUTE = 0x07;
  static final byte RESOURCE_ATTRIBUTE = 0x08;
  static final byte DENSE_TERM = 0x09;
  static final byte POSTING = 0x0B;
  static final byte PENDING = 0x0C;
  static final byte RESOURCE = 0x0F;

  /**
   * Written when a partition is created, by versions that index attributes: partitions without
   * it (from older versions) hold spans that {@code 0x07} and {@code 0x08} know nothing about.
   */
  static final byte[] ATTRIBUTES_INDEXED = {0x0A};

  /**
   * Written when a partition is created, by versions that write postings: every span of such a
   * partition is in {@code 0x0B}, none in {@code 0x07}.
   */
  static final byte[] POSTINGS_INDEXED = {0x0D};

  /** The highest batch number a partition's postings cover; see {@link PendingPostings}. */
  static final byte[] LAST_BATCH = {0x0E};

  /** The last byte of a {@link #pending} key: its spans are indexed by group. */
  static final byte GROUPED_PENDING = 0x02;

  /** {@code 0x01 | traceId}: the prefix extractor's length, so prefix blooms key on the trace. */
  static final int TRACE_PREFIX_LENGTH = 17;

  /** traceId, spanId, kind: the tail shared by span keys and index keys. */
  static final int SPAN_SUFFIX_LENGTH = 25;

  /** A span in a {@link #pending} list: its key's 25-byte tail and its entry's start. */
  static final int PENDING_ENTRY_LENGTH = SPAN_SUFFIX_LENGTH + 8;

  /** Start, trace id, batch: the tail of a time-index entry of a span group, after its prefix. */
  static final int GROUP_SUFFIX_LENGTH = 8 + 16 + 4;

  /**
   * Width of the start window a span group stays within: a group entry's key (its latest start)
   * bounds its spans' starts from above, and this window from below, so that a search for
   * starts up to t walks entries up to t plus this window.
   */
  static final long GROUP_NANOS = 1_000_000_000L;

  static final byte[] TIME_PREFIX = {TIME};

  private Keys() {}

  static byte[] tracePrefix(TraceId traceId) {
    byte[] k = new byte[TRACE_PREFIX_LENGTH];
    k[0] = SPAN;
    putLong(k, 1, traceId.high());
    putLong(k, 9, traceId.low());
    return k;
  }

  static byte[] span(TraceId traceId, long spanId, SpanKind kind) {
    byte[] k = new byte[1 + SPAN_SUFFIX_LENGTH];
    k[0] = SPAN;
    putSuffix(k, 1, traceId, spanId, kind);
    return k;
  }

  /** The span key an index key at {@code suffixAt} (its trace id) points to. */
  static byte[] spanFromIndex(byte[] indexKey, int suffixAt) {
    byte[] k = new byte[1 + SPAN_SUFFIX_LENGTH];
    k[0] = SPAN;
    System.arraycopy(indexKey, suffixAt, k, 1, SPAN_SUFFIX_LENGTH);
    return k;
  }

  /**
   * {@code tag | name | 0x00 | name | 0x00 ...}: a catalog key, or the prefix every key of one
   * index run or catalog listing starts with.
   */
  static byte[] named(byte tag, byte[]... names) {
    int length = 1;
    for (byte[] n : names) {
      length += n.length + 1;
    }
    byte[] k = new byte[length];
    k[0] = tag;
    int at = 1;
    for (byte[] n : names) {
      System.arraycopy(n, 0, k, at, n.length);
      at += n.length + 1;
    }
    return k;
  }

  /** {@code prefix | name | 0x00}: a prefix extended by one more name. */
  static byte[] append(byte[] prefix, byte[] name) {
    byte[] k = Arrays.copyOf(prefix, prefix.length + name.length + 1);
    System.arraycopy(name, 0, k, prefix.length, name.length);
    return k;
  }

  /** The name that ends a key after its {@code prefixLength}-byte prefix (before the 0x00). */
  static String lastName(byte[] key, int prefixLength) {
    return Text.decode(key, prefixLength, key.length - prefixLength - 1);
  }

  /** The raw bytes of the name ending a key after its {@code prefixLength}-byte prefix. */
  static byte[] lastNameBytes(byte[] key, int prefixLength) {
    return Arrays.copyOfRange(key, prefixLength, key.length - 1);
  }

  static byte[] operation(byte[] service, String operation, SpanKind kind) {
    byte[] k = named(OPERATION, service, Text.keyBytes(operation));
    k = Arrays.copyOf(k, k.length + 1);
    k[k.length - 1] = (byte) kind.number();
    return k;
  }

  /** Operation name of an {@link #OPERATION} key whose prefix is {@code prefixLength} long. */
  static String operationOf(byte[] key, int prefixLength) {
    return Text.decode(key, prefixLength, key.length - prefixLength - 2);
  }

  static SpanKind operationKindOf(byte[] key) {
    return SpanKind.forNumber(key[key.length - 1]);
  }

  /**
   * {@code prefix | maxStart | traceId | batch}: the time-index entry of a span group, of the
   * write batch numbered {@code batch} (its low 32 bits: a partition takes fewer batches).
   */
  static byte[] group(byte[] prefix, long maxStartNanos, long traceIdHigh, long traceIdLow,
      long batch) {
    byte[] k = new byte[prefix.length + GROUP_SUFFIX_LENGTH];
    System.arraycopy(prefix, 0, k, 0, prefix.length);
    int at = prefix.length;
    putLong(k, at, flip(maxStartNanos));
    putLong(k, at + 8, traceIdHigh);
    putLong(k, at + 16, traceIdLow);
    k[at + 24] = (byte) (batch >>> 24);
    k[at + 25] = (byte) (batch >>> 16);
    k[at + 26] = (byte) (batch >>> 8);
    k[at + 27] = (byte) batch;
    return k;
  }

  /** Whether a time-index entry with a {@code prefixLength}-byte prefix is a span group's. */
  static boolean isGroup(byte[] key, int prefixLength) {
    return key.length - prefixLength == GROUP_SUFFIX_LENGTH;
  }

  /** The group window a start falls in; see {@link #GROUP_NANOS}. */
  static long groupWindow(long startNanos) {
    return Math.floorDiv(startNanos, GROUP_NANOS);
  }

  /**
   * The earliest start a span group whose latest start is {@code maxStart} can hold (clamped, so
   * perhaps earlier near the range of {@code long}).
   */
  static long groupLow(long maxStartNanos) {
    return maxStartNanos < Long.MIN_VALUE + GROUP_NANOS ? Long.MIN_VALUE
        : maxStartNanos - Math.floorMod(maxStartNanos, GROUP_NANOS);
  }

  /** The latest key start of a span group that can hold a start up to {@code maxStart}. */
  static long groupCeiling(long maxStartNanos) {
    return maxStartNanos > Long.MAX_VALUE - GROUP_NANOS ? Long.MAX_VALUE
        : maxStartNanos + GROUP_NANOS - 1;
  }

  /** A span group's value: its shortest and longest duration, as varints. */
  static byte[] durations(long min, long max) {
    byte[] a = varint(min);
    byte[] b = varint(max);
    byte[] v = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, v, a.length, b.length);
    return v;
  }

  /** The longest duration of a span group's value: the varint after the first. */
  static long maxDuration(byte[] value) {
    int i = 0;
    while (i < value.length && value[i] < 0) {
      i++;
    }
    return readVarint(value, i + 1);
  }

  /** {@code prefix | start}: the first index key at that start time. */
  static byte[] indexBound(byte[] prefix, long startNanos) {
    byte[] k = Arrays.copyOf(prefix, prefix.length + 8);
    putLong(k, prefix.length, flip(startNanos));
    return k;
  }

  /**
   * Start precision of attribute index entries: one bucket per millisecond. Coarser starts share
   * more leading bytes with the previous entry (measured: 8.3 bytes an entry at nanoseconds, 4.9
   * at milliseconds), and a bucket rarely holds many spans of one trace-id byte.
   */
  static final long REF_BUCKET_NANOS = 1_000_000;

  /**
   * {@code prefix | bucket | traceId[0]}: an attribute index entry. It stands for every span in
   * the time index whose start falls in the bucket and whose trace id starts with that byte.
   */
  static byte[] startRef(byte[] prefix, long startNanos, TraceId traceId) {
    byte[] k = Arrays.copyOf(prefix, prefix.length + 9);
    putLong(k, prefix.length, flip(Math.floorDiv(startNanos, REF_BUCKET_NANOS)));
    k[prefix.length + 8] = (byte) (traceId.high() >>> 56);
    return k;
  }

  /** {@code prefix | bucket}: the first attribute index key of the bucket holding a start. */
  static byte[] refBound(byte[] prefix, long startNanos) {
    byte[] k = Arrays.copyOf(prefix, prefix.length + 8);
    putLong(k, prefix.length, flip(Math.floorDiv(startNanos, REF_BUCKET_NANOS)));
    return k;
  }

  /** The bucket of an attribute index entry whose prefix is {@code prefixLength} long. */
  static long refBucket(byte[] key, int prefixLength) {
    return flip(getLong(key, prefixLength));
  }

  /** The first start in a bucket, clamped to the range of {@code long}. */
  static long bucketLow(long bucket) {
    return bucket == Math.floorDiv(Long.MIN_VALUE, REF_BUCKET_NANOS) ? Long.MIN_VALUE
        : bucket * REF_BUCKET_NANOS;
  }

  /** The last start in a bucket, clamped to the range of {@code long}. */
  static long bucketHigh(long bucket) {
    return bucket == Math.floorDiv(Long.MAX_VALUE, REF_BUCKET_NANOS) ? Long.MAX_VALUE
        : bucket * REF_BUCKET_NANOS + REF_BUCKET_NANOS - 1;
  }

  /** The first trace id byte an attribute index entry carries, from 0 to 255. */
  static int refTraceIdByte(byte[] key, int prefixLength) {
    return key[prefixLength + 8] & 0xFF;
  }

  /** {@code 0x0B | term}: the prefix of every posting of a term. */
  static byte[] postingPrefix(byte[] term) {
    byte[] k = new byte[term.length + 1];
    k[0] = POSTING;
    System.arraycopy(term, 0, k, 1, term.length);
    return k;
  }

  /** {@code 0x0B | term | maxBucket | window}: one posting of a term. */
  static byte[] posting(byte[] term, long maxBucket, long window) {
    byte[] k = new byte[1 + term.length + 16];
    k[0] = POSTING;
    System.arraycopy(term, 0, k, 1, term.length);
    putLong(k, 1 + term.length, flip(maxBucket));
    putLong(k, 1 + term.length + 8, window);
    return k;
  }

  /** {@code postingPrefix | bucket}: the first posting key whose newest bucket is this. */
  static byte[] postingBound(byte[] postingPrefix, long bucket) {
    byte[] k = Arrays.copyOf(postingPrefix, postingPrefix.length + 8);
    putLong(k, postingPrefix.length, flip(bucket));
    return k;
  }

  /** The newest bucket of a posting key whose prefix is {@code prefixLength} long. */
  static long postingMaxBucket(byte[] key, int prefixLength) {
    return flip(getLong(key, prefixLength));
  }

  /** {@code 0x0F | id}: a resource dictionary entry. */
  static byte[] resource(int id) {
    byte[] k = new byte[5];
    k[0] = RESOURCE;
    k[1] = (byte) (id >>> 24);
    k[2] = (byte) (id >>> 16);
    k[3] = (byte) (id >>> 8);
    k[4] = (byte) id;
    return k;
  }

  /**
   * {@code 0x0C | batch | 0x02}: the spans of a batch whose postings are not written yet, each
   * with the start of its time-index entry ({@link #PENDING_ENTRY_LENGTH} bytes a span).
   */
  static byte[] pending(long batch) {
    byte[] k = Arrays.copyOf(legacyPending(batch), 10);
    k[9] = GROUPED_PENDING;
    return k;
  }

  /** {@code 0x0C | batch}: an earlier version's list of a batch's span keys, 25 bytes each. */
  static byte[] legacyPending(long batch) {
    byte[] k = new byte[9];
    k[0] = PENDING;
    putLong(k, 1, batch);
    return k;
  }

  /** {@code 0x05 | start | FF..}: above every time-index key at {@code start}. */
  static byte[] timeCeiling(long startNanos) {
    byte[] k = new byte[1 + 8 + SPAN_SUFFIX_LENGTH];
    k[0] = TIME;
    putLong(k, 1, flip(startNanos));
    Arrays.fill(k, 9, k.length, (byte) 0xFF);
    return k;
  }

  /** Start time of an index entry whose prefix is {@code prefixLength} long. */
  static long indexStart(byte[] key, int prefixLength) {
    return flip(getLong(key, prefixLength));
  }

  static TraceId traceIdAt(byte[] key, int at) {
    return new TraceId(getLong(key, at), getLong(key, at + 8));
  }

  static long spanIdAt(byte[] key, int at) {
    return getLong(key, at + 16);
  }

  static SpanKind kindAt(byte[] key, int at) {
    return SpanKind.forNumber(key[at + 24]);
  }

  /**
   * The smallest key greater than every key starting with {@code prefix}, for an exclusive upper
   * bound; null when there is none (all {@code 0xFF}).
   */
  static byte[] successor(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xFF) {
        byte[] k = Arrays.copyOf(prefix, i + 1);
        k[i]++;
        return k;
      }
    }
    return null;
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** Maps signed order onto unsigned byte order. */
  static long flip(long v) {
    return v ^ Long.MIN_VALUE;
  }

  static void putLong(byte[] b, int at, long v) {
    for (int i = at + 7; i >= at; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
  }

  static long getLong(byte[] b, int at) {
    long v = 0;
    for (int i = at; i < at + 8; i++) {
      v = (v << 8) | (b[i] & 0xFFL);
    }
    return v;
  }

  /** A non-negative number as an unsigned LEB128 varint (index values hold durations). */
  static byte[] varint(long v) {
    byte[] tmp = new byte[10];
    int n = 0;
    while ((v & ~0x7FL) != 0) {
      tmp[n++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    tmp[n++] = (byte) v;
    return Arrays.copyOf(tmp, n);
  }

  /** Reads {@link #varint}; 0 for an empty or malformed value. */
  static long readVarint(byte[] b) {
    return readVarint(b, 0);
  }

  /** Reads {@link #varint} from {@code from}; 0 for none or a malformed one. */
  static long readVarint(byte[] b, int from) {
    long v = 0;
    for (int i = from, shift = 0; i < b.length && shift < 64; i++, shift += 7) {
      v |= (long) (b[i] & 0x7F) << shift;
      if (b[i] >= 0) {
        return v;
      }
    }
    return 0;
  }

  private static void putSuffix(byte[] k, int at, TraceId traceId, long spanId, SpanKind kind) {
    putLong(k, at, traceId.high());
    putLong(k, at + 8, traceId.low());
    putLong(k, at + 16, spanId);
    k[at + 24] = (byte) kind.number();
  }
}
