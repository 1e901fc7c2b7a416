package io.strand.bench;

import io.strand.codec.otlp.OtlpProtoDecoder;
import io.strand.codec.zipkin.ZipkinDecoder;
import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.SpanLink;
import io.strand.model.TraceId;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Batches of realistic spans from the seeded generator, encoded once in each wanted format, with
 * the traces each batch holds whole (to read back afterwards).
 *
 * <p>Sent {@link #once} they are a fixed load. Sent {@link #rotating} they are an endless one of
 * bounded memory: round {@code r} (the {@code r}-th pass over the pool) sends every batch with
 * each trace id XORed with a per-round 128-bit key and every timestamp moved to the wall clock
 * at the round's start, so every request stores new spans (new keys) carrying about the time
 * they are sent at, and traces of one round keep their structure. The rewrite patches a copy of
 * the encoded bytes at the offsets of the trace id and timestamp fields, found when the pool is
 * built by parsing the encoded bytes (the protobuf wire format, or the Zipkin JSON field names),
 * not assumed; before the first rotation every batch of the pool is rewritten once and decoded
 * with Strand's own decoders to check that exactly those fields changed. The rewrite costs a
 * copy and about 30 byte operations per span, against about 2.5 µs of CPU per span to generate
 * and encode afresh (measured; see docs/benchmarks.md).
 */
public final class BatchPool {

  /** An encoded batch and where its trace ids and timestamps sit. */
  private record Encoded(byte[] body, int[] idOffsets, int[] timeOffsets, int[] timeLengths) {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final int spansPerBatch;
  private final long seed;
  /** Start of the earliest span of the pool. */
  private final long firstStartNanos;
  /** The time shift of recent rounds; guarded by itself. */
  private final Map<Long, Long> roundShifts = new java.util.LinkedHashMap<>();
  private long lastShift;
  private final TraceId[][] wholeTraces;
  private final int[][] wholeTraceSpans;
  private final Map<WireFormat, Encoded[]> encoded = new EnumMap<>(WireFormat.class);
  private final Set<WireFormat> verified = java.util.EnumSet.noneOf(WireFormat.class);

  private BatchPool(int batches, int spansPerBatch, long seed, Set<WireFormat> formats) {
    this.spansPerBatch = spansPerBatch;
    this.seed = seed;
    TraceGenerator generator = new TraceGenerator(seed, System.currentTimeMillis() * 1_000_000L);
    SpanBatcher batcher = new SpanBatcher(generator, spansPerBatch);
    wholeTraces = new TraceId[batches][];
    wholeTraceSpans = new int[batches][];
    for (WireFormat f : formats) {
      encoded.put(f, new Encoded[batches]);
    }
    long minStart = Long.MAX_VALUE;
    for (int b = 0; b < batches; b++) {
      SpanBatcher.Cut cut = batcher.next();
      wholeTraces[b] = cut.wholeTraces();
      wholeTraceSpans[b] = cut.wholeTraceSpans();
      for (Span s : cut.spans()) {
        minStart = Math.min(minStart, s.startTimeUnixNano());
      }
      for (WireFormat f : formats) {
        byte[] body = f.encode(cut.spans());
        encoded.get(f)[b] = f == WireFormat.OTLP_PROTO ? otlpOffsets(body) : zipkinOffsets(body);
      }
    }
    firstStartNanos = minStart;
  }

  /** Generates {@code batches} batches of {@code spansPerBatch} spans from {@code seed}. */
  public static BatchPool generate(int batches, int spansPerBatch, long seed,
      Set<WireFormat> formats) {
    if (batches < 1 || formats.isEmpty()) {
      throw new IllegalArgumentException("need at least one batch and one format");
    }
    return new BatchPool(batches, spansPerBatch, seed, formats);
  }

  public int batches() {
    return wholeTraces.length;
  }

  public int spansPerBatch() {
    return spansPerBatch;
  }

  /** Encoded bytes of all batches in one format. */
  public long bytes(WireFormat format) {
    long total = 0;
    for (Encoded e : encoded(format)) {
      total += e.body.length;
    }
    return total;
  }

  /** Average encoded bytes per span in one format. */
  public double bytesPerSpan(WireFormat format) {
    return bytes(format) / (double) (batches() * (long) spansPerBatch);
  }

  /** Every batch once, in order: a fixed load. The bodies are the pool's own arrays. */
  public BatchSource once(WireFormat format) {
    Encoded[] bodies = encoded(format);
    AtomicLong next = new AtomicLong();
    return new Source(format, "the " + bodies.length + " batches of the pool, each once") {
      @Override
      Batch produce() {
        long n = next.getAndIncrement();
        return n < bodies.length ? batch(format, (int) n, 0, 0) : null;
      }
    };
  }

  /**
   * The batches over and over, each round with new trace ids and later timestamps (see the class
   * comment): an endless load whose memory is the pool's.
   */
  public BatchSource rotating(WireFormat format) {
    verifyRewrite(format);
    Encoded[] bodies = encoded(format);
    AtomicLong next = new AtomicLong();
    return new Source(format, String.format("rotating pool of %,d pre-encoded batches (%,d spans,"
        + " %,.0f MB of %s); each round rewrites, in a copy, every trace id (XOR with a"
        + " per-round key) and timestamp (moved to the time the round starts)", bodies.length,
        bodies.length * (long) spansPerBatch, bytes(format) / 1e6, format.label())) {
      @Override
      Batch produce() {
        long n = next.getAndIncrement();
        long round = n / bodies.length;
        return batch(format, (int) (n % bodies.length), round, shift(round));
      }
    };
  }

  /**
   * How much later round {@code round} is: the wall clock at its start minus the pool's first
   * start, in whole milliseconds (so Zipkin's microseconds move exactly as the nanoseconds do),
   * never less than an earlier round's. Round 0 is the pool as generated. Spans then carry about
   * the time they are sent at, however long the run.
   */
  private long shift(long round) {
    if (round == 0) {
      return 0;
    }
    synchronized (roundShifts) {
      Long shift = roundShifts.get(round);
      if (shift == null) {
        long now = System.currentTimeMillis() * 1_000_000L;
        shift = Math.max(lastShift, Math.floorDiv(now - firstStartNanos, 1_000_000L) * 1_000_000L);
        lastShift = shift;
        roundShifts.put(round, shift);
        if (roundShifts.size() > 64) {
          roundShifts.remove(roundShifts.keySet().iterator().next());
        }
      }
      return shift;
    }
  }

  /**
   * Batch {@code index} as sent in {@code round} with its times moved {@code shiftNanos} (a
   * whole number of milliseconds); round 0 is the batch as generated, never copied.
   */
  Batch batch(WireFormat format, int index, long round, long shiftNanos) {
    Encoded e = encoded(format)[index];
    TraceId[] whole = wholeTraces[index];
    if (round == 0) {
      return new Batch(e.body, spansPerBatch, whole, wholeTraceSpans[index]);
    }
    long kh = key(round, 1);
    long kl = key(round, 2);
    long delta = shiftNanos;
    byte[] out = e.body.clone();
    if (format == WireFormat.OTLP_PROTO) {
      for (int off : e.idOffsets) {
        xorBigEndian(out, off, kh);
        xorBigEndian(out, off + 8, kl);
      }
      for (int off : e.timeOffsets) {
        putLittleEndian(out, off, getLittleEndian(out, off) + delta);
      }
    } else {
      for (int off : e.idOffsets) {
        for (int i = 0; i < 32; i++) {
          long nibble = ((i < 16 ? kh : kl) >>> (60 - 4 * (i & 15))) & 0xF;
          out[off + i] = HEX[hexValue(out[off + i]) ^ (int) nibble];
        }
      }
      for (int j = 0; j < e.timeOffsets.length; j++) {
        addDecimal(out, e.timeOffsets[j], e.timeLengths[j], delta / 1000);
      }
    }
    TraceId[] ids = new TraceId[whole.length];
    for (int i = 0; i < whole.length; i++) {
      ids[i] = new TraceId(whole[i].high() ^ kh, whole[i].low() ^ kl);
    }
    return new Batch(out, spansPerBatch, ids, wholeTraceSpans[index]);
  }

  private Encoded[] encoded(WireFormat format) {
    Encoded[] e = encoded.get(format);
    if (e == null) {
      throw new IllegalArgumentException("the pool was not encoded as " + format);
    }
    return e;
  }

  /** The per-round key, two independent 64-bit halves; round 0 has none. */
  private long key(long round, int half) {
    long z = seed + round * 0x9E3779B97F4A7C15L + half * 0xD1B54A32D192ED03L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Rewrites every batch for round 1 (an hour later) and decodes it with Strand's decoder: each
   * span must equal the original's decoding with the trace ids (span's and links') XORed and the
   * times (start, end, events) moved, nothing else; fails loudly otherwise.
   */
  private synchronized void verifyRewrite(WireFormat format) {
    if (verified.contains(format)) {
      return;
    }
    OtlpProtoDecoder otlp = new OtlpProtoDecoder();
    ZipkinDecoder zipkin = new ZipkinDecoder();
    long kh = key(1, 1);
    long kl = key(1, 2);
    long shift = 3_600_000_000_000L;
    for (int b = 0; b < batches(); b++) {
      byte[] original = encoded(format)[b].body;
      byte[] rewritten = batch(format, b, 1, shift).body();
      List<Span> before = format == WireFormat.OTLP_PROTO ? otlp.decode(original).spans()
          : zipkin.decodeJson(original).spans();
      List<Span> after = format == WireFormat.OTLP_PROTO ? otlp.decode(rewritten).spans()
          : zipkin.decodeJson(rewritten).spans();
      List<Span> expected = new ArrayList<>(before.size());
      for (Span s : before) {
        expected.add(moved(s, kh, kl, shift));
      }
      if (before.size() != spansPerBatch || !after.equals(expected)) {
        throw new IllegalStateException("rewriting " + format + " batch " + b
            + " changed more than trace ids and times: the encoder's output is not what "
            + BatchPool.class.getSimpleName() + " parses");
      }
    }
    verified.add(format);
  }

  private static Span moved(Span s, long kh, long kl, long delta) {
    List<SpanEvent> events = new ArrayList<>(s.events().size());
    for (SpanEvent e : s.events()) {
      events.add(new SpanEvent(e.timeUnixNano() + delta, e.name(), e.attributes(),
          e.droppedAttributesCount()));
    }
    List<SpanLink> links = new ArrayList<>(s.links().size());
    for (SpanLink l : s.links()) {
      links.add(new SpanLink(new TraceId(l.traceId().high() ^ kh, l.traceId().low() ^ kl),
          l.spanId(), l.traceState(), l.attributes(), l.droppedAttributesCount(), l.flags()));
    }
    return s.toBuilder()
        .traceId(new TraceId(s.traceId().high() ^ kh, s.traceId().low() ^ kl))
        .startTimeUnixNano(s.startTimeUnixNano() + delta)
        .endTimeUnixNano(s.endTimeUnixNano() + delta)
        .events(events)
        .links(links)
        .build();
  }

  // ---- OTLP protobuf: ExportTraceServiceRequest > ResourceSpans(1) > ScopeSpans(2) > Span(2)

  private static Encoded otlpOffsets(byte[] body) {
    OffsetWalker w = new OffsetWalker(body);
    w.request(0, body.length);
    return new Encoded(body, w.ids.stream().mapToInt(Integer::intValue).toArray(),
        w.times.stream().mapToInt(Integer::intValue).toArray(), null);
  }

  /** Walks the protobuf wire format and records the offsets of trace ids and fixed64 times. */
  private static final class OffsetWalker {
    private final byte[] b;
    private int p;
    final List<Integer> ids = new ArrayList<>();
    final List<Integer> times = new ArrayList<>();

    OffsetWalker(byte[] b) {
      this.b = b;
    }

    void request(int from, int to) {
      fields(from, to, (field, type, end) -> {
        if (field == 1 && type == 2) {
          resourceSpans(p, end);
          return true;
        }
        return false;
      });
    }

    private void resourceSpans(int from, int to) {
      fields(from, to, (field, type, end) -> {
        if (field == 2 && type == 2) {
          scopeSpans(p, end);
          return true;
        }
        return false;
      });
    }

    private void scopeSpans(int from, int to) {
      fields(from, to, (field, type, end) -> {
        if (field == 2 && type == 2) {
          span(p, end);
          return true;
        }
        return false;
      });
    }

    private void span(int from, int to) {
      fields(from, to, (field, type, end) -> {
        if (field == 1 && type == 2) { // trace_id
          traceId(end);
        } else if ((field == 7 || field == 8) && type == 1) { // start, end: fixed64
          times.add(p);
          p += 8;
        } else if (field == 11 && type == 2) { // events
          event(p, end);
        } else if (field == 13 && type == 2) { // links
          link(p, end);
        } else {
          return false;
        }
        return true;
      });
    }

    private void event(int from, int to) {
      fields(from, to, (field, type, end) -> {
        if (field == 1 && type == 1) { // time_unix_nano: fixed64
          times.add(p);
          p += 8;
          return true;
        }
        return false;
      });
    }

    private void link(int from, int to) {
      fields(from, to, (field, type, end) -> {
        if (field == 1 && type == 2) {
          traceId(end);
          return true;
        }
        return false;
      });
    }

    private void traceId(int end) {
      if (end - p != 16) {
        throw new IllegalStateException("a trace id of " + (end - p) + " bytes at " + p);
      }
      ids.add(p);
      p = end;
    }

    private interface Field {
      /** Handles a field whose value starts at p (for length-delimited: ends at end). */
      boolean handle(int field, int type, int end);
    }

    /** Each field in [from, to): the handler consumes it, or it is skipped. */
    private void fields(int from, int to, Field handler) {
      p = from;
      while (p < to) {
        long tag = varint();
        int field = (int) (tag >>> 3);
        int type = (int) (tag & 7);
        int end = -1;
        if (type == 2) {
          int length = (int) varint();
          end = p + length;
          if (length < 0 || end > to) {
            throw new IllegalStateException("a length running past its message at " + p);
          }
        }
        int valueAt = p;
        if (handler.handle(field, type, end)) {
          p = type == 2 ? end : p;
          continue;
        }
        p = valueAt;
        switch (type) {
          case 0 -> varint();
          case 1 -> p += 8;
          case 2 -> p = end;
          case 5 -> p += 4;
          default -> throw new IllegalStateException("wire type " + type + " at " + p);
        }
      }
      if (p != to) {
        throw new IllegalStateException("a field running past its message at " + p);
      }
    }

    private long varint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte x = b[p++];
        v |= (long) (x & 0x7F) << shift;
        if (x >= 0) {
          return v;
        }
      }
      throw new IllegalStateException("a malformed varint at " + p);
    }
  }

  // ---- Zipkin v2 JSON: "traceId":"<32 hex>" and "timestamp":<micros> (spans and annotations)

  private static Encoded zipkinOffsets(byte[] body) {
    List<Integer> ids = new ArrayList<>();
    List<Integer> times = new ArrayList<>();
    List<Integer> lengths = new ArrayList<>();
    byte[] traceId = "\"traceId\":\"".getBytes(StandardCharsets.US_ASCII);
    byte[] timestamp = "\"timestamp\":".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < body.length; i++) {
      if (startsAt(body, i, traceId)) {
        int at = i + traceId.length;
        for (int j = 0; j < 32; j++) {
          if (at + j >= body.length || hexValue(body[at + j]) < 0) {
            throw new IllegalStateException("a trace id that is not 32 hex digits at " + at);
          }
        }
        if (body[at + 32] != '"') {
          throw new IllegalStateException("a trace id that is not 32 hex digits at " + at);
        }
        ids.add(at);
        i = at + 32;
      } else if (startsAt(body, i, timestamp)) {
        int at = i + timestamp.length;
        int end = at;
        while (end < body.length && body[end] >= '0' && body[end] <= '9') {
          end++;
        }
        if (end == at) {
          throw new IllegalStateException("a timestamp that is not a number at " + at);
        }
        times.add(at);
        lengths.add(end - at);
        i = end;
      }
    }
    return new Encoded(body, ids.stream().mapToInt(Integer::intValue).toArray(),
        times.stream().mapToInt(Integer::intValue).toArray(),
        lengths.stream().mapToInt(Integer::intValue).toArray());
  }

  private static boolean startsAt(byte[] b, int at, byte[] s) {
    return at + s.length <= b.length && java.util.Arrays.equals(b, at, at + s.length, s, 0,
        s.length);
  }

  private static int hexValue(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  /** Adds {@code delta} to the decimal number of {@code length} digits at {@code at}. */
  private static void addDecimal(byte[] b, int at, int length, long delta) {
    long v = 0;
    for (int i = at; i < at + length; i++) {
      v = v * 10 + (b[i] - '0');
    }
    v += delta;
    for (int i = at + length - 1; i >= at; i--) {
      b[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    if (v != 0) {
      throw new IllegalStateException("a timestamp outgrew its " + length + " digits");
    }
  }

  private static void xorBigEndian(byte[] b, int at, long v) {
    for (int i = 7; i >= 0; i--) {
      b[at + i] ^= (byte) v;
      v >>>= 8;
    }
  }

  private static long getLittleEndian(byte[] b, int at) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[at + i] & 0xFFL);
    }
    return v;
  }

  private static void putLittleEndian(byte[] b, int at, long v) {
    for (int i = 0; i < 8; i++) {
      b[at + i] = (byte) v;
      v >>>= 8;
    }
  }

  /** A source that counts the CPU time its senders spend producing bodies. */
  private abstract static class Source implements BatchSource {
    private final WireFormat format;
    private final String description;
    private final LongAdder cpuNanos = new LongAdder();
    private final LongAdder spans = new LongAdder();

    Source(WireFormat format, String description) {
      this.format = format;
      this.description = description;
    }

    abstract Batch produce();

    @Override
    public Batch next() {
      long t0 = THREADS.getCurrentThreadCpuTime();
      Batch b = produce();
      cpuNanos.add(THREADS.getCurrentThreadCpuTime() - t0);
      if (b != null) {
        spans.add(b.spans());
      }
      return b;
    }

    @Override
    public WireFormat format() {
      return format;
    }

    @Override
    public String describe() {
      return description;
    }

    @Override
    public double cpuSeconds() {
      return cpuNanos.sum() / 1e9;
    }

    @Override
    public long spansProduced() {
      return spans.sum();
    }
  }
}
