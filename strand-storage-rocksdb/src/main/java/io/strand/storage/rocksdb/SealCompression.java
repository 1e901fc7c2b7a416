package io.strand.storage.rocksdb;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksObject;
import org.rocksdb.TableProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Switches a partition's bottom level from LZ4 to ZSTD (at {@link
 * RocksDbConfig#sealedCompressionLevel()}, with a dictionary trained per table file) before the
 * compaction that seals it. While a partition takes writes,
 * every level is LZ4: its data is compacted again and again, and ZSTD there was a fifth of the
 * compaction CPU of a sustained run. A sealed partition is written once more and then only read,
 * so that one rewrite can afford a stronger level.
 *
 * <p>RocksJava 11.8.1 cannot set these options on a live column family: its {@code
 * MutableColumnFamilyOptions} knows neither {@code bottommost_compression} nor {@code
 * bottommost_compression_opts}, and it writes the Java name of a compression type ({@code
 * ZSTD_COMPRESSION}) where RocksDB expects {@code kZSTD}. So this calls RocksJava's own native
 * {@code setOptions(handle, cfHandle, keys, values)} with RocksDB's option strings, reflectively.
 * Should that fail (a RocksJava without the method, a RocksDB without ZSTD), the partition stays
 * LZ4, with one warning: larger, never wrong. {@code SealCompressionTest} checks that sealed
 * tables are ZSTD, so an upgrade that breaks this fails the build.
 */
final class SealCompression {

  private static final Logger log = LoggerFactory.getLogger(RocksDbStorage.class);

  /** Dictionary per table file, trained on samples of 100 times its size. */
  static final int DICTIONARY_BYTES = 16 << 10;

  private static final String[] KEYS = {"bottommost_compression", "bottommost_compression_opts"};

  private static final Method SET_OPTIONS;
  private static final Method NATIVE_HANDLE;
  private static final String UNAVAILABLE;

  static {
    Method set = null;
    Method handle = null;
    String why = null;
    try {
      set = RocksDB.class.getDeclaredMethod("setOptions", long.class, long.class,
          String[].class, String[].class);
      set.setAccessible(true);
      handle = RocksObject.class.getDeclaredMethod("getNativeHandle");
      handle.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      why = e.toString();
    }
    SET_OPTIONS = set;
    NATIVE_HANDLE = handle;
    UNAVAILABLE = why;
  }

  private final int level;
  private final String[] values;
  private final AtomicBoolean warned = new AtomicBoolean();

  /** Seals at ZSTD {@code level}. */
  SealCompression(int level) {
    this.level = level;
    this.values = new String[] {"kZSTD", "{enabled=true;level=" + level + ";max_dict_bytes="
        + DICTIONARY_BYTES + ";zstd_max_train_bytes=" + 100 * DICTIONARY_BYTES + "}"};
  }

  /**
   * Whether every table file of {@code cf} is ZSTD-compressed already: a partition sealed before
   * a restart, which need not be rewritten.
   */
  static boolean isSealed(RocksDB db, ColumnFamilyHandle cf) throws RocksDBException {
    Map<String, TableProperties> tables = db.getPropertiesOfAllTables(cf);
    return !tables.isEmpty()
        && tables.values().stream().allMatch(t -> isZstd(t.getCompressionName()));
  }

  /**
   * Whether a table file's compression name says ZSTD: {@code ZSTD} in RocksDB before 10, a
   * list of compression type numbers ({@code kZSTD} = 7) after its compression manager's name
   * since.
   */
  static boolean isZstd(String compressionName) {
    return compressionName.startsWith("ZSTD") || compressionName.matches("BuiltinV2;(07)+;");
  }

  /** Sets the sealed compression on {@code cf}; false (after one warning) when it could not. */
  boolean apply(RocksDB db, ColumnFamilyHandle cf) {
    String failure = UNAVAILABLE;
    if (failure == null) {
      try {
        SET_OPTIONS.invoke(null, NATIVE_HANDLE.invoke(db), NATIVE_HANDLE.invoke(cf), KEYS,
            values);
        return true;
      } catch (ReflectiveOperationException | RuntimeException e) {
        Throwable cause = e.getCause() instanceof RocksDBException r ? r : e;
        failure = cause.getMessage();
      }
    }
    if (warned.compareAndSet(false, true)) {
      log.warn("sealed partitions stay LZ4-compressed (ZSTD level {} could not be set: {})",
          level, failure);
    }
    return false;
  }
}
