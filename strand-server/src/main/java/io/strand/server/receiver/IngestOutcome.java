package io.strand.server.receiver;

/**
 * What became of one received request, shared by every receiver so each maps the same outcomes
 * to its protocol: accepted (with a partial-success count), refused over a limit, refused for
 * overload, or failed in the store.
 */
record IngestOutcome(Kind kind, int rejectedSpans, String message) {

  enum Kind {
    STORED,
    LIMITED,
    OVERLOADED,
    STORE_FAILED
  }
}
