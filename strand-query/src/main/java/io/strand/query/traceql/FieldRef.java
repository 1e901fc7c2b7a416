package io.strand.query.traceql;

/** A field of a span: an intrinsic such as {@code span:duration}, or an attribute. */
public sealed interface FieldRef extends FieldExpr permits FieldRef.IntrinsicField,
    FieldRef.Attribute {

  /** The field's static type, or {@code null} when only the data knows it (attributes). */
  Value.Type staticType();

  /** An intrinsic; legacy and scoped spellings of one intrinsic give equal nodes. */
  record IntrinsicField(Intrinsic intrinsic) implements FieldRef {
    @Override
    public Value.Type staticType() {
      return intrinsic.type();
    }

    @Override
    public String toString() {
      return intrinsic.canonical();
    }
  }

  /**
   * An attribute: {@code span.key}, {@code resource.key}, {@code .key} (span attribute, else
   * resource attribute), {@code event.key}, {@code link.key} or {@code instrumentation.key}.
   *
   * @param key the attribute key, dots included ({@code span.http.method} has key {@code
   *     http.method})
   */
  record Attribute(AttributeScope scope, String key) implements FieldRef {
    @Override
    public Value.Type staticType() {
      return null;
    }

    @Override
    public String toString() {
      return scope.prefix() + Quoting.key(key);
    }
  }
}
