package io.strand.storage.rocksdb;

import io.strand.model.Span;
import io.strand.storage.SpanWriter;
import io.strand.storage.StorageException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The write path: each call stores its spans, their two index entries and any service or
 * operation names the newest partition does not hold yet as one synced {@link WriteBatch}.
 */
record SpanBatchWriter(Lifecycle lifecycle, Partitions partitions, RocksDB db,
    WriteOptions syncWrite) implements SpanWriter {

  private static final byte[] EMPTY = new byte[0];

  @Override
  public void write(List<Span> spans) {
    lifecycle.whileOpen(() -> {
      if (!spans.isEmpty()) {
        writeBatch(spans);
      }
    });
  }

  private void writeBatch(List<Span> spans) {
    Partition p = partitions.acquireForWrite();
    try (WriteBatch batch = new WriteBatch()) {
      ColumnFamilyHandle cf = p.handle;
      SpanCodec codec = new SpanCodec();
      Map<String, byte[]> serviceKeys = new HashMap<>();
      Set<String> newServices = new HashSet<>();
      Set<Partition.OperationName> newOperations = new HashSet<>();
      for (Span s : spans) {
        String service = s.serviceName();
        byte[] serviceBytes = serviceKeys.computeIfAbsent(service, Text::keyBytes);
        long start = s.startTimeUnixNano();
        byte[] duration = Keys.varint(s.durationNanos());
        batch.put(cf, Keys.span(s.traceId(), s.spanId(), s.kind()), codec.encode(s));
        batch.put(cf, Keys.index(Keys.serviceTimePrefix(serviceBytes), start, s.traceId(),
            s.spanId(), s.kind()), duration);
        batch.put(cf, Keys.index(Keys.TIME_PREFIX, start, s.traceId(), s.spanId(), s.kind()),
            duration);
        if (!p.knowsService(service) && newServices.add(service)) {
          batch.put(cf, Keys.service(serviceBytes), EMPTY);
        }
        Partition.OperationName op = new Partition.OperationName(service, s.name(), s.kind());
        if (!p.knowsOperation(op) && newOperations.add(op)) {
          batch.put(cf, Keys.operation(serviceBytes, s.name(), s.kind()), EMPTY);
        }
      }
      // One synced batch: durable (WAL fsync) when this returns. Concurrent synced writers
      // are group-committed by RocksDB: the leader appends every waiting batch to the WAL and
      // one fsync covers them all, so throughput scales with concurrency, not fsync latency.
      db.write(syncWrite, batch);
      p.remember(newServices, newOperations);
    } catch (RocksDBException e) {
      throw new StorageException("writing " + spans.size() + " spans to " + p.name
          + " failed: " + e.getMessage(), e);
    } finally {
      partitions.release(p);
    }
  }
}
