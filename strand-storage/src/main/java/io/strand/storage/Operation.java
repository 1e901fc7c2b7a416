package io.strand.storage;

import io.strand.model.SpanKind;

/**
 * An operation (span name) of a service, with the span kind it was seen with; one name can
 * appear with several kinds.
 *
 * @param name span name
 * @param kind span kind
 */
public record Operation(String name, SpanKind kind) implements Comparable<Operation> {

  @Override
  public int compareTo(Operation o) {
    int c = name.compareTo(o.name);
    return c != 0 ? c : kind.compareTo(o.kind);
  }
}
