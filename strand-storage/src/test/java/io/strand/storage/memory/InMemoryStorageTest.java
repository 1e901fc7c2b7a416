package io.strand.storage.memory;

import io.strand.storage.StorageComponent;
import io.strand.storage.StorageContractTest;
import java.nio.file.Path;

class InMemoryStorageTest extends StorageContractTest {
  @Override
  protected StorageComponent open(Path dir) {
    return new InMemoryStorage();
  }
}
