package io.strand.storage;

import io.strand.model.Span;
import java.util.List;

/** Stores spans. */
public interface SpanWriter {

  /**
   * Stores a batch of spans and returns only once they are durable: when this returns normally,
   * every span in the batch survives a crash of the process ({@code kill -9}) and is readable by
   * trace id. Writes are idempotent: writing a span with the same trace id, span id and kind
   * again replaces it rather than adding a copy. Concurrent calls are allowed; backends may group
   * them into one durable commit.
   *
   * @throws StorageException when the batch could not be made durable; none, some or all of its
   *     spans may then be stored, and retrying the batch is safe because writes are idempotent
   */
  void write(List<Span> spans);
}
