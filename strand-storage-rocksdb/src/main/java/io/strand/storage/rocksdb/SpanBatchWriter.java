package io.strand.storage.rocksdb;

import io.strand.model.Span;
import io.strand.storage.SpanWriter;
import io.strand.storage.StorageException;
import java.util.List;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The write path: each call stores its spans with their index and catalog entries (see {@link
 * BatchIndexer}) in the newest partition as one synced {@link WriteBatch}.
 */
record SpanBatchWriter(Lifecycle lifecycle, Partitions partitions, RocksDB db,
    WriteOptions syncWrite) implements SpanWriter {

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
      SpanCodec codec = new SpanCodec();
      BatchIndexer indexer = new BatchIndexer(p, batch, spans.size());
      for (Span s : spans) {
        batch.put(p.handle, Keys.span(s.traceId(), s.spanId(), s.kind()), codec.encode(s));
        indexer.add(s);
      }
      indexer.finish();
      // One synced batch: durable (WAL fsync) when this returns. Concurrent synced writers
      // are group-committed by RocksDB: the leader appends every waiting batch to the WAL and
      // one fsync covers them all, so throughput scales with concurrency, not fsync latency.
      db.write(syncWrite, batch);
      indexer.committed();
    } catch (RocksDBException e) {
      throw new StorageException("writing " + spans.size() + " spans to " + p.name
          + " failed: " + e.getMessage(), e);
    } finally {
      partitions.release(p);
    }
  }
}
