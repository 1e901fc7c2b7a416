package io.strand.storage.rocksdb;

import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import io.strand.model.InstrumentationScope;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.SpanKind;
import io.strand.model.SpanLink;
import io.strand.model.StatusCode;
import io.strand.model.TraceId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The stored form of a span: a compact, versioned binary encoding of every field except the
 * trace id, span id and kind, which the store keeps in the key.
 *
 * <pre>
 * value    := version(1)=1 presence(1) status(1) start(fixed64) duration(zigzag)
 *             [parentSpanId(fixed64)] [flags(uvarint)] name(str) [traceState(str)]
 *             [statusMessage(str)] attributes
 *             [droppedAttributes(uvarint) droppedEvents(uvarint) droppedLinks(uvarint)]
 *             [events] [links] resource [scope]
 *           | version(1)=2 ...the same up to [links]... resourceId(uvarint)
 * entry    := resource scope       (a resource dictionary entry, see below)
 * event    := n(uvarint) { timeMinusStart(zigzag) name(str) attributes dropped(uvarint) }
 * link     := n(uvarint) { traceId(16) spanId(fixed64) traceState(str) attributes
 *                          dropped(uvarint) flags(uvarint) }
 * resource := attributes dropped(uvarint)
 * scope    := name(str) version(str) attributes dropped(uvarint)
 * attributes := n(uvarint) { key(str) anyValue }
 * anyValue := tag(1) payload   STRING str | FALSE | TRUE | LONG zigzag | DOUBLE fixed64 bits
 *                              | ARRAY n(uvarint) anyValue* | KVLIST attributes | BYTES n bytes
 * str      := length(uvarint) {@link Text} bytes
 * </pre>
 *
 * Bracketed parts are present only when their bit is set in {@code presence}, so empty fields
 * cost nothing. Version 2 leaves the resource and the scope, which every span of a service
 * instance repeats (in realistic spans, 40% of the bytes), to a dictionary the caller keeps:
 * {@link #encode(Span, int)} names an entry, {@link #encodeResource} makes one, and {@link
 * #decode(TraceId, long, SpanKind, byte[], Resources)} looks it up. 32-bit counts and flags are
 * written as unsigned varints of their bits, so every {@code int} (even a negative one)
 * round-trips. A decoded span equals the encoded one.
 *
 * <p>An instance owns a growable buffer reused across {@link #encode} calls: make one per batch,
 * never share it between threads. {@link #decode} is static and thread-safe.
 */
public final class SpanCodec {

  /** The format {@link #encode(Span)} writes; the first byte of its values. */
  public static final byte VERSION = 1;
  /** The format {@link #encode(Span, int)} writes: the resource and scope by dictionary id. */
  public static final byte VERSION_2 = 2;

  /** A resource and an instrumentation scope: what a dictionary entry holds. */
  public record ResourceScope(Resource resource, InstrumentationScope scope) {}

  /** Looks up resource dictionary entries by id, for decoding version 2. */
  @FunctionalInterface
  public interface Resources {
    /**
     * The entry with this id.
     *
     * @throws IllegalArgumentException when there is none
     */
    ResourceScope resource(int id);
  }

  private static final int P_PARENT = 1;
  private static final int P_FLAGS = 1 << 1;
  private static final int P_TRACE_STATE = 1 << 2;
  private static final int P_STATUS_MESSAGE = 1 << 3;
  private static final int P_DROPPED = 1 << 4;
  private static final int P_EVENTS = 1 << 5;
  private static final int P_LINKS = 1 << 6;
  private static final int P_SCOPE = 1 << 7;

  private static final byte T_STRING = 0;
  private static final byte T_FALSE = 1;
  private static final byte T_TRUE = 2;
  private static final byte T_LONG = 3;
  private static final byte T_DOUBLE = 4;
  private static final byte T_ARRAY = 5;
  private static final byte T_KVLIST = 6;
  private static final byte T_BYTES = 7;

  /**
   * Deepest nesting of array and key/value list values accepted, far beyond real telemetry
   * (protobuf parsers stop at 100); bounds the recursion of both directions.
   */
  static final int MAX_DEPTH = 1_000;

  private byte[] buf = new byte[512];
  private int pos;

  /** The value bytes for a span (without its trace id, span id and kind), resource included. */
  public byte[] encode(Span s) {
    return encode(s, -1);
  }

  /**
   * The value bytes for a span whose resource and scope are the dictionary entry {@code
   * resourceId} (0 or more), or, when it is negative, are written out as by {@link #encode(Span)}.
   */
  public byte[] encode(Span s, int resourceId) {
    pos = 0;
    int presence = 0;
    if (s.parentSpanId() != 0) {
      presence |= P_PARENT;
    }
    if (s.flags() != 0) {
      presence |= P_FLAGS;
    }
    if (!s.traceState().isEmpty()) {
      presence |= P_TRACE_STATE;
    }
    if (!s.statusMessage().isEmpty()) {
      presence |= P_STATUS_MESSAGE;
    }
    if ((s.droppedAttributesCount() | s.droppedEventsCount() | s.droppedLinksCount()) != 0) {
      presence |= P_DROPPED;
    }
    if (!s.events().isEmpty()) {
      presence |= P_EVENTS;
    }
    if (!s.links().isEmpty()) {
      presence |= P_LINKS;
    }
    if (resourceId < 0 && !s.scope().equals(InstrumentationScope.EMPTY)) {
      presence |= P_SCOPE;
    }
    ensure(3 + 8);
    buf[pos++] = resourceId < 0 ? VERSION : VERSION_2;
    buf[pos++] = (byte) presence;
    buf[pos++] = (byte) s.statusCode().number();
    writeFixed64(s.startTimeUnixNano());
    // Wrapping subtraction: end = start + (end - start) holds for any two longs.
    writeZigzag(s.endTimeUnixNano() - s.startTimeUnixNano());
    if ((presence & P_PARENT) != 0) {
      writeFixed64(s.parentSpanId());
    }
    if ((presence & P_FLAGS) != 0) {
      writeUint32(s.flags());
    }
    writeString(s.name());
    if ((presence & P_TRACE_STATE) != 0) {
      writeString(s.traceState());
    }
    if ((presence & P_STATUS_MESSAGE) != 0) {
      writeString(s.statusMessage());
    }
    writeAttributes(s.attributes());
    if ((presence & P_DROPPED) != 0) {
      writeUint32(s.droppedAttributesCount());
      writeUint32(s.droppedEventsCount());
      writeUint32(s.droppedLinksCount());
    }
    if ((presence & P_EVENTS) != 0) {
      writeVarint(s.events().size());
      for (SpanEvent e : s.events()) {
        writeZigzag(e.timeUnixNano() - s.startTimeUnixNano());
        writeString(e.name());
        writeAttributes(e.attributes());
        writeUint32(e.droppedAttributesCount());
      }
    }
    if ((presence & P_LINKS) != 0) {
      writeVarint(s.links().size());
      for (SpanLink l : s.links()) {
        writeFixed64(l.traceId().high());
        writeFixed64(l.traceId().low());
        writeFixed64(l.spanId());
        writeString(l.traceState());
        writeAttributes(l.attributes());
        writeUint32(l.droppedAttributesCount());
        writeUint32(l.flags());
      }
    }
    if (resourceId >= 0) {
      writeVarint(resourceId);
      return Arrays.copyOf(buf, pos);
    }
    writeAttributes(s.resource().attributes());
    writeUint32(s.resource().droppedAttributesCount());
    if ((presence & P_SCOPE) != 0) {
      writeScope(s.scope());
    }
    return Arrays.copyOf(buf, pos);
  }

  /** A resource dictionary entry: the resource and the scope. */
  public byte[] encodeResource(Resource resource, InstrumentationScope scope) {
    pos = 0;
    writeAttributes(resource.attributes());
    writeUint32(resource.droppedAttributesCount());
    writeScope(scope);
    return Arrays.copyOf(buf, pos);
  }

  private void writeScope(InstrumentationScope scope) {
    writeString(scope.name());
    writeString(scope.version());
    writeAttributes(scope.attributes());
    writeUint32(scope.droppedAttributesCount());
  }

  /**
   * Reads a resource dictionary entry.
   *
   * @throws IllegalArgumentException when it is corrupt
   */
  public static ResourceScope decodeResource(byte[] entry) {
    Reader r = new Reader(entry);
    Attributes resourceAttrs = r.readAttributes(0);
    Resource resource = new Resource(resourceAttrs, r.readUint32());
    InstrumentationScope scope = r.readScope();
    r.end();
    return new ResourceScope(resource, scope);
  }

  /**
   * The start of the span a value holds, read without decoding the rest.
   *
   * @throws IllegalArgumentException when the value is too short to hold one
   */
  static long start(byte[] value) {
    if (value.length < 11) {
      throw new IllegalArgumentException("corrupt span value: truncated at byte "
          + value.length);
    }
    return Keys.getLong(value, 3);
  }

  /**
   * The span stored under the given ids, written by {@link #encode(Span)}.
   *
   * @throws IllegalArgumentException when the value is corrupt or of an unknown version
   */
  public static Span decode(TraceId traceId, long spanId, SpanKind kind, byte[] value) {
    return decode(traceId, spanId, kind, value, id -> {
      throw new IllegalArgumentException("span encoding version 2 needs a resource dictionary");
    });
  }

  /**
   * The span stored under the given ids, of either version; {@code resources} resolves the
   * dictionary ids of version 2.
   *
   * @throws IllegalArgumentException when the value is corrupt or of an unknown version, or
   *     names an entry {@code resources} does not hold
   */
  public static Span decode(TraceId traceId, long spanId, SpanKind kind, byte[] value,
      Resources resources) {
    Reader r = new Reader(value);
    int version = r.readByte();
    if (version != VERSION && version != VERSION_2) {
      throw new IllegalArgumentException("unknown span encoding version " + version);
    }
    int presence = r.readByte() & 0xFF;
    StatusCode status = StatusCode.forNumber(r.readByte());
    long start = r.readFixed64();
    long end = start + r.readZigzag();
    Span.Builder b = Span.builder(traceId, spanId)
        .kind(kind)
        .startTimeUnixNano(start)
        .endTimeUnixNano(end);
    if ((presence & P_PARENT) != 0) {
      b.parentSpanId(r.readFixed64());
    }
    if ((presence & P_FLAGS) != 0) {
      b.flags(r.readUint32());
    }
    b.name(r.readString());
    if ((presence & P_TRACE_STATE) != 0) {
      b.traceState(r.readString());
    }
    b.status(status, (presence & P_STATUS_MESSAGE) != 0 ? r.readString() : "");
    b.attributes(r.readAttributes(0));
    if ((presence & P_DROPPED) != 0) {
      b.droppedAttributesCount(r.readUint32());
      b.droppedEventsCount(r.readUint32());
      b.droppedLinksCount(r.readUint32());
    }
    if ((presence & P_EVENTS) != 0) {
      int n = r.readCount();
      List<SpanEvent> events = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        long time = start + r.readZigzag();
        String name = r.readString();
        Attributes attrs = r.readAttributes(0);
        events.add(new SpanEvent(time, name, attrs, r.readUint32()));
      }
      b.events(events);
    }
    if ((presence & P_LINKS) != 0) {
      int n = r.readCount();
      List<SpanLink> links = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        TraceId linked = new TraceId(r.readFixed64(), r.readFixed64());
        long linkedSpan = r.readFixed64();
        String state = r.readString();
        Attributes attrs = r.readAttributes(0);
        int dropped = r.readUint32();
        links.add(new SpanLink(linked, linkedSpan, state, attrs, dropped, r.readUint32()));
      }
      b.links(links);
    }
    if (version == VERSION_2) {
      long id = r.readVarint();
      if (id > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("corrupt span value: resource id " + id);
      }
      ResourceScope rs = resources.resource((int) id);
      b.resource(rs.resource());
      b.scope(rs.scope());
    } else {
      Attributes resourceAttrs = r.readAttributes(0);
      b.resource(new Resource(resourceAttrs, r.readUint32()));
      if ((presence & P_SCOPE) != 0) {
        b.scope(r.readScope());
      }
    }
    r.end();
    return b.build();
  }

  // ---- writing ----

  private void ensure(int n) {
    if (pos + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
    }
  }

  private void writeByte(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  private void writeFixed64(long v) {
    ensure(8);
    Keys.putLong(buf, pos, v);
    pos += 8;
  }

  private void writeVarint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  private void writeUint32(int v) {
    writeVarint(Integer.toUnsignedLong(v));
  }

  private void writeZigzag(long v) {
    writeVarint((v << 1) ^ (v >> 63));
  }

  private void writeString(String s) {
    int len = Text.encodedLength(s, false);
    writeVarint(len);
    ensure(len);
    pos = Text.encode(s, buf, pos, false);
  }

  private void writeAttributes(Attributes a) {
    writeAttributes(a, 0);
  }

  private void writeAttributes(Attributes a, int depth) {
    int n = a.size();
    writeVarint(n);
    for (int i = 0; i < n; i++) {
      writeString(a.key(i));
      writeValue(a.value(i), depth);
    }
  }

  private void writeValue(AttributeValue v, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("attribute values nest deeper than " + MAX_DEPTH);
    }
    switch (v) {
      case AttributeValue.StringValue s -> {
        writeByte(T_STRING);
        writeString(s.value());
      }
      case AttributeValue.BoolValue b -> writeByte(b.value() ? T_TRUE : T_FALSE);
      case AttributeValue.LongValue l -> {
        writeByte(T_LONG);
        writeZigzag(l.value());
      }
      case AttributeValue.DoubleValue d -> {
        writeByte(T_DOUBLE);
        // Raw bits: NaN payloads and -0.0 survive, as record equality requires.
        writeFixed64(Double.doubleToRawLongBits(d.value()));
      }
      case AttributeValue.ArrayValue a -> {
        writeByte(T_ARRAY);
        writeVarint(a.values().size());
        for (AttributeValue e : a.values()) {
          writeValue(e, depth + 1);
        }
      }
      case AttributeValue.KeyValueListValue kv -> {
        writeByte(T_KVLIST);
        writeAttributes(kv.values(), depth + 1);
      }
      case AttributeValue.BytesValue bytes -> {
        byte[] raw = bytes.value();
        writeByte(T_BYTES);
        writeVarint(raw.length);
        ensure(raw.length);
        System.arraycopy(raw, 0, buf, pos, raw.length);
        pos += raw.length;
      }
    }
  }

  // ---- reading ----

  /** Cursor over one value; every read checks bounds so corrupt input fails cleanly. */
  private static final class Reader {

    private final byte[] b;
    private int pos;

    Reader(byte[] b) {
      this.b = b;
    }

    private void need(int n) {
      if (n < 0 || pos + n > b.length) {
        throw new IllegalArgumentException("corrupt span value: truncated at byte " + pos);
      }
    }

    int readByte() {
      need(1);
      return b[pos++];
    }

    long readFixed64() {
      need(8);
      long v = Keys.getLong(b, pos);
      pos += 8;
      return v;
    }

    long readVarint() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        need(1);
        byte x = b[pos++];
        v |= (long) (x & 0x7F) << shift;
        if (x >= 0) {
          return v;
        }
      }
      throw new IllegalArgumentException("corrupt span value: varint too long at byte " + pos);
    }

    int readUint32() {
      return (int) readVarint();
    }

    InstrumentationScope readScope() {
      String name = readString();
      String version = readString();
      Attributes attrs = readAttributes(0);
      return new InstrumentationScope(name, version, attrs, readUint32());
    }

    void end() {
      if (pos != b.length) {
        throw new IllegalArgumentException(
            "corrupt span value: " + (b.length - pos) + " trailing bytes");
      }
    }

    int readCount() {
      long n = readVarint();
      // Every element takes at least one byte, which bounds a sane count.
      if (n > b.length - pos) {
        throw new IllegalArgumentException("corrupt span value: count " + n + " at byte " + pos);
      }
      return (int) n;
    }

    long readZigzag() {
      long v = readVarint();
      return (v >>> 1) ^ -(v & 1);
    }

    String readString() {
      int len = readCount();
      need(len);
      String s = Text.decode(b, pos, len);
      pos += len;
      return s;
    }

    Attributes readAttributes(int depth) {
      int n = readCount();
      if (n == 0) {
        return Attributes.EMPTY;
      }
      Attributes.Builder a = Attributes.builder(n);
      for (int i = 0; i < n; i++) {
        String key = readString();
        a.put(key, readValue(depth));
      }
      return a.build();
    }

    AttributeValue readValue(int depth) {
      if (depth > MAX_DEPTH) {
        throw new IllegalArgumentException("corrupt span value: nesting deeper than "
            + MAX_DEPTH);
      }
      int tag = readByte();
      return switch (tag) {
        case T_STRING -> new AttributeValue.StringValue(readString());
        case T_FALSE -> AttributeValue.of(false);
        case T_TRUE -> AttributeValue.of(true);
        case T_LONG -> new AttributeValue.LongValue(readZigzag());
        case T_DOUBLE -> new AttributeValue.DoubleValue(
            Double.longBitsToDouble(readFixed64()));
        case T_ARRAY -> {
          int n = readCount();
          List<AttributeValue> values = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            values.add(readValue(depth + 1));
          }
          yield new AttributeValue.ArrayValue(values);
        }
        case T_KVLIST -> new AttributeValue.KeyValueListValue(readAttributes(depth + 1));
        case T_BYTES -> {
          int n = readCount();
          need(n);
          byte[] raw = Arrays.copyOfRange(b, pos, pos + n);
          pos += n;
          yield new AttributeValue.BytesValue(raw);
        }
        default -> throw new IllegalArgumentException(
            "corrupt span value: unknown attribute tag " + tag + " at byte " + (pos - 1));
      };
    }
  }
}
