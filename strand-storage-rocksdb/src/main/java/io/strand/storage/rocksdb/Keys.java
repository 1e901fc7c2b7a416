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
 * 0x04 | service | 0x00 | start(8) | traceId(16) | spanId(8) | kind(1)      → duration varint
 * 0x05 | start(8) | traceId(16) | spanId(8) | kind(1)                       → duration varint
 * </pre>
 *
 * Names are {@link Text#keyBytes}, which never contain {@code 0x00}, so the terminator is
 * unambiguous.
 */
final class Keys {

  static final byte SPAN = 0x01;
  static final byte SERVICE = 0x02;
  static final byte OPERATION = 0x03;
  static final byte SERVICE_TIME = 0x04;
  static final byte TIME = 0x05;

  /** {@code 0x01 | traceId}: the prefix extractor's length, so prefix blooms key on the trace. */
  static final int TRACE_PREFIX_LENGTH = 17;

  /** traceId, spanId, kind: the tail shared by span keys and index keys. */
  static final int SPAN_SUFFIX_LENGTH = 25;

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

  static byte[] service(byte[] service) {
    byte[] k = new byte[service.length + 2];
    k[0] = SERVICE;
    System.arraycopy(service, 0, k, 1, service.length);
    return k;
  }

  /** Service name of a {@link #SERVICE} key. */
  static String serviceOf(byte[] key) {
    return Text.decode(key, 1, key.length - 2);
  }

  /** {@code 0x03 | service | 0x00}: every operation of the service follows it. */
  static byte[] operationPrefix(byte[] service) {
    byte[] k = new byte[service.length + 2];
    k[0] = OPERATION;
    System.arraycopy(service, 0, k, 1, service.length);
    return k;
  }

  static byte[] operation(byte[] service, String operation, SpanKind kind) {
    int opLen = Text.encodedLength(operation, true);
    byte[] k = new byte[service.length + opLen + 4];
    k[0] = OPERATION;
    System.arraycopy(service, 0, k, 1, service.length);
    int at = Text.encode(operation, k, service.length + 2, true);
    k[at + 1] = (byte) kind.number();
    return k;
  }

  /** Operation name of an {@link #OPERATION} key whose prefix is {@code prefixLength} long. */
  static String operationOf(byte[] key, int prefixLength) {
    return Text.decode(key, prefixLength, key.length - prefixLength - 2);
  }

  static SpanKind operationKindOf(byte[] key) {
    return SpanKind.forNumber(key[key.length - 1]);
  }

  /** {@code 0x04 | service | 0x00}: the service's time index follows it. */
  static byte[] serviceTimePrefix(byte[] service) {
    byte[] k = new byte[service.length + 2];
    k[0] = SERVICE_TIME;
    System.arraycopy(service, 0, k, 1, service.length);
    return k;
  }

  /** {@code prefix | start | traceId | spanId | kind}: a time-index entry. */
  static byte[] index(byte[] prefix, long startNanos, TraceId traceId, long spanId,
      SpanKind kind) {
    byte[] k = new byte[prefix.length + 8 + SPAN_SUFFIX_LENGTH];
    System.arraycopy(prefix, 0, k, 0, prefix.length);
    putLong(k, prefix.length, flip(startNanos));
    putSuffix(k, prefix.length + 8, traceId, spanId, kind);
    return k;
  }

  /** {@code prefix | start}: the first index key at that start time. */
  static byte[] indexBound(byte[] prefix, long startNanos) {
    byte[] k = Arrays.copyOf(prefix, prefix.length + 8);
    putLong(k, prefix.length, flip(startNanos));
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
    long v = 0;
    for (int i = 0, shift = 0; i < b.length && shift < 64; i++, shift += 7) {
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
