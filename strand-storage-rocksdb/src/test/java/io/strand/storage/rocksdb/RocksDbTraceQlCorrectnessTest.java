package io.strand.storage.rocksdb;

import io.strand.query.AbstractTraceQlCorrectnessTest;
import io.strand.storage.StorageComponent;
import java.nio.file.Path;

/**
 * The TraceQL correctness suite over the RocksDB store: its indexes (service, time, attribute)
 * must lead the planner to exactly the traces the oracle finds by evaluating every trace.
 */
class RocksDbTraceQlCorrectnessTest extends AbstractTraceQlCorrectnessTest {
  @Override
  protected StorageComponent open(Path dir) {
    return RocksDbStorage.open(RocksDbConfig.of(dir));
  }
}
