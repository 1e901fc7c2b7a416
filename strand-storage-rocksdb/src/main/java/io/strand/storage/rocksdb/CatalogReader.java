package io.strand.storage.rocksdb;

import io.strand.storage.Operation;
import io.strand.storage.ServiceCatalog;
import io.strand.storage.StorageException;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.rocksdb.RocksDBException;

/**
 * Lists service, operation and remote service names from the catalog keys of every partition,
 * merged.
 */
record CatalogReader(Lifecycle lifecycle, Partitions partitions) implements ServiceCatalog {

  @Override
  public List<String> services() {
    return lifecycle.whileOpen(() -> {
      TreeSet<String> out = new TreeSet<>();
      scanAll(new byte[] {Keys.SERVICE}, key -> out.add(Keys.lastName(key, 1)));
      return List.copyOf(out);
    });
  }

  @Override
  public List<Operation> operations(String service) {
    return lifecycle.whileOpen(() -> {
      byte[] prefix = Keys.named(Keys.OPERATION, Text.keyBytes(service));
      TreeSet<Operation> out = new TreeSet<>();
      scanAll(prefix, key -> out.add(
          new Operation(Keys.operationOf(key, prefix.length), Keys.operationKindOf(key))));
      return List.copyOf(out);
    });
  }

  @Override
  public List<String> remoteServices(String service) {
    return lifecycle.whileOpen(() -> {
      byte[] prefix = Keys.named(Keys.REMOTE_SERVICE, Text.keyBytes(service));
      TreeSet<String> out = new TreeSet<>();
      scanAll(prefix, key -> out.add(Keys.lastName(key, prefix.length)));
      return List.copyOf(out);
    });
  }

  /** Calls {@code onKey} for every key starting with {@code prefix} in every partition. */
  private void scanAll(byte[] prefix, Consumer<byte[]> onKey) {
    try (Bounds bounds = Bounds.prefix(prefix)) {
      partitions.scanNewestFirst(prefix, bounds.options, it -> {
        onKey.accept(it.key());
        return true;
      });
    } catch (RocksDBException e) {
      throw new StorageException("listing names failed: " + e.getMessage(), e);
    }
  }
}
