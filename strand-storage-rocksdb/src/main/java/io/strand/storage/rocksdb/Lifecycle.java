package io.strand.storage.rocksdb;

import io.strand.storage.StorageException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * Whether the store is open, and the lock that lets {@link RocksDbStorage#close()} wait for
 * running operations: every operation runs under the read side, close under the write side.
 */
final class Lifecycle {

  private final Path path;
  /** Read side: any operation on the database. Write side: close. */
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  /** Set first thing in close; operations check it under the read lock. */
  private final AtomicBoolean closed = new AtomicBoolean();

  /** A lifecycle for the store in {@code path}, named in the "closed" error. */
  Lifecycle(Path path) {
    this.path = path;
  }

  /** Runs {@code operation} under the read lock, whether or not the store is closed. */
  <T> T locked(Supplier<T> operation) {
    Lock read = lock.readLock();
    read.lock();
    try {
      return operation.get();
    } finally {
      read.unlock();
    }
  }

  /**
   * Runs {@code operation} under the read lock if the store is open.
   *
   * @throws StorageException when the store is closed
   */
  <T> T whileOpen(Supplier<T> operation) {
    return locked(() -> {
      if (closed.get()) {
        throw new StorageException("RocksDB storage in " + path + " is closed");
      }
      return operation.get();
    });
  }

  /** {@link #whileOpen(Supplier)} for an operation without a result. */
  void whileOpen(Runnable operation) {
    whileOpen(() -> {
      operation.run();
      return null;
    });
  }

  boolean isClosed() {
    return closed.get();
  }

  /** Marks the store closed; false when it already was, so that close runs only once. */
  boolean markClosed() {
    return closed.compareAndSet(false, true);
  }

  /** Runs {@code teardown} under the write lock: after every running operation finished. */
  void exclusively(Runnable teardown) {
    Lock write = lock.writeLock();
    write.lock();
    try {
      teardown.run();
    } finally {
      write.unlock();
    }
  }
}
