package io.strand.storage.rocksdb;

import io.strand.storage.StorageException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.rocksdb.RocksDBException;

/** What the store occupies on disk: table bytes per partition, and the whole directory. */
record DiskUsage(Path path, Lifecycle lifecycle, Partitions partitions) {

  /** See {@link RocksDbStorage#partitions()}. */
  List<PartitionInfo> partitionInfos() {
    return lifecycle.whileOpen(() -> {
      List<Partition> parts = partitions.acquireNewestFirst();
      try {
        List<PartitionInfo> out = new ArrayList<>();
        for (int i = parts.size() - 1; i >= 0; i--) {
          Partition p = parts.get(i);
          long end = partitions.end(p, i > 0 ? parts.get(i - 1) : null);
          out.add(new PartitionInfo(p.name, Instant.ofEpochMilli(p.startMillis),
              Instant.ofEpochMilli(end), partitions.tableBytes(p)));
        }
        return out;
      } catch (RocksDBException e) {
        throw new StorageException("reading partition sizes failed: " + e.getMessage(), e);
      } finally {
        partitions.releaseAll(parts);
      }
    });
  }

  /** See {@link RocksDbStorage#diskBytes()}. */
  long directoryBytes() {
    long[] total = {0};
    try {
      // RocksDB creates and deletes files while we walk: a file that vanished counts as zero.
      Files.walkFileTree(path, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (attrs.isRegularFile()) {
            total[0] += attrs.size();
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }
      });
    } catch (IOException e) {
      throw new StorageException("cannot measure " + path + ": " + e.getMessage(), e);
    }
    return total[0];
  }
}
