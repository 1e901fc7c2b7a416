package io.strand.storage.rocksdb;

import java.time.Instant;

/**
 * A time partition as seen by metrics and tools.
 *
 * @param name column family name, {@code p-<epoch millis of start>}
 * @param start first ingest instant the partition covers
 * @param end instant after the last one it covers; retention ages the partition from here
 * @param tableBytes live table (SST) file bytes: what dropping the partition frees on disk
 */
public record PartitionInfo(String name, Instant start, Instant end, long tableBytes) {}
