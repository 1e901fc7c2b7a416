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
 * BatchIndexer}) in the newest partition as one synced {@link WriteBatch}, then hands the
 * batch's postings to the partition's window ({@link PendingPostings}).
 */
record SpanBatchWriter(Lifecycle lifecycle, Partitions partitions, RocksDB db,
    WriteOptions syncWrite, PostingFlusher postings) implements SpanWriter {

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
      long number = p.pending.nextBatch(db, p.handle);
      SpanCodec codec = new SpanCodec();
      ResourceDictionary.Batch resources = p.resources.new Batch(db, p.handle, batch, codec);
      BatchIndexer indexer = new BatchIndexer(p, batch, spans.size());
      for (Span s : spans) {
        byte[] key = Keys.span(s.traceId(), s.spanId(), s.kind());
        batch.put(p.handle, key, codec.encode(s, resources.id(s)));
        indexer.add(s, key);
      }
      BatchPostings batchPostings = indexer.finish(number);
      // One synced batch: durable (WAL fsync) when this returns. Concurrent synced writers
      // are group-committed by RocksDB: the leader appends every waiting batch to the WAL and
      // one fsync covers them all, so throughput scales with concurrency, not fsync latency.
      db.write(syncWrite, batch);
      resources.committed();
      indexer.committed();
      // Searchable by attribute from here on, before the write is acknowledged.
      if (p.pending.add(batchPostings)) {
        postings.windowFull(p);
      }
    } catch (RocksDBException e) {
      throw new StorageException("writing " + spans.size() + " spans to " + p.name
          + " failed: " + e.getMessage(), e);
    } finally {
      partitions.release(p);
    }
  }
}
