package io.strand.query;

import io.strand.storage.StorageComponent;
import io.strand.storage.memory.InMemoryStorage;
import java.nio.file.Path;

/** The TraceQL correctness suite over the in-memory reference store. */
class TraceQlCorrectnessTest extends AbstractTraceQlCorrectnessTest {
  @Override
  protected StorageComponent open(Path dir) {
    return new InMemoryStorage();
  }
}
