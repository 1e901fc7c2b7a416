package io.strand.codec.otlp;

import com.google.protobuf.UnsafeByteOperations;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.strand.codec.CodecException;
import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import java.util.Arrays;
import java.util.List;

/**
 * Converts OTLP protobuf {@code KeyValue}/{@code AnyValue} to model attributes and back. Values
 * without any kind set (an empty {@code AnyValue}) have no model equivalent and are skipped.
 */
final class ProtoAttributes {

  private ProtoAttributes() {}

  /** The model form of a protobuf attribute list; {@code depth} is the depth of its values. */
  static Attributes toModel(List<KeyValue> kvs, int depth) {
    int n = kvs.size();
    if (n == 0) {
      return Attributes.EMPTY;
    }
    Attributes.Builder b = Attributes.builder(n);
    for (int i = 0; i < n; i++) {
      KeyValue kv = kvs.get(i);
      b.put(kv.getKey(), toModel(kv.getValue(), depth));
    }
    return b.build();
  }

  /**
   * The model form of one value, or {@code null} when no kind is set.
   *
   * @param depth nesting level of this value, 1 for an attribute's own value
   * @throws CodecException when the value nests deeper than {@link AnyValueDepth#MAX}
   */
  static AttributeValue toModel(AnyValue v, int depth) {
    AnyValueDepth.check(depth);
    return switch (v.getValueCase()) {
      case STRING_VALUE -> AttributeValue.of(v.getStringValue());
      case BOOL_VALUE -> AttributeValue.of(v.getBoolValue());
      case INT_VALUE -> AttributeValue.of(v.getIntValue());
      case DOUBLE_VALUE -> AttributeValue.of(v.getDoubleValue());
      case BYTES_VALUE -> new AttributeValue.BytesValue(v.getBytesValue().toByteArray());
      case ARRAY_VALUE -> array(v.getArrayValue().getValuesList(), depth + 1);
      case KVLIST_VALUE -> new AttributeValue.KeyValueListValue(
          toModel(v.getKvlistValue().getValuesList(), depth + 1));
      default -> null; // VALUE_NOT_SET, or a profiles-only string table index
    };
  }

  private static AttributeValue array(List<AnyValue> values, int depth) {
    AttributeValue[] out = new AttributeValue[values.size()];
    int n = 0;
    for (int i = 0; i < out.length; i++) {
      AttributeValue e = toModel(values.get(i), depth);
      if (e != null) {
        out[n++] = e;
      }
    }
    return new AttributeValue.ArrayValue(
        Arrays.asList(n == out.length ? out : Arrays.copyOf(out, n)));
  }

  /** Adds every attribute to a protobuf builder through {@code sink}. */
  static void toProto(Attributes attributes, KeyValueSink sink) {
    for (int i = 0; i < attributes.size(); i++) {
      sink.add(KeyValue.newBuilder()
          .setKey(attributes.key(i))
          .setValue(toProto(attributes.value(i)))
          .build());
    }
  }

  /** The protobuf form of one value. */
  static AnyValue toProto(AttributeValue value) {
    AnyValue.Builder b = AnyValue.newBuilder();
    switch (value) {
      case AttributeValue.StringValue s -> b.setStringValue(s.value());
      case AttributeValue.BoolValue bool -> b.setBoolValue(bool.value());
      case AttributeValue.LongValue l -> b.setIntValue(l.value());
      case AttributeValue.DoubleValue d -> b.setDoubleValue(d.value());
      // value() hands out a fresh copy, so wrapping it without another copy is safe
      case AttributeValue.BytesValue bytes ->
          b.setBytesValue(UnsafeByteOperations.unsafeWrap(bytes.value()));
      case AttributeValue.ArrayValue a -> {
        ArrayValue.Builder ab = ArrayValue.newBuilder();
        for (AttributeValue e : a.values()) {
          ab.addValues(toProto(e));
        }
        b.setArrayValue(ab);
      }
      case AttributeValue.KeyValueListValue kvl -> {
        KeyValueList.Builder lb = KeyValueList.newBuilder();
        toProto(kvl.values(), lb::addValues);
        b.setKvlistValue(lb);
      }
    }
    return b.build();
  }

  /** Where converted attributes go: the {@code addAttributes} method of a protobuf builder. */
  @FunctionalInterface
  interface KeyValueSink {
    /** Accepts one attribute. */
    void add(KeyValue kv);
  }
}
