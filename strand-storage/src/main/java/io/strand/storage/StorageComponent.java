package io.strand.storage;

/**
 * A span store, handing out small roles rather than one wide interface, so a caller depends only
 * on what it uses and a backend can grow roles without breaking others.
 *
 * <p>Implementations do no I/O in their constructors; they open in a factory method and release
 * every resource in {@link #close()}. All roles are thread-safe.
 */
public interface StorageComponent extends AutoCloseable {

  /** Writes spans durably. */
  SpanWriter spanWriter();

  /** Reads whole traces by id. */
  TraceReader traceReader();

  /** Lists services and their operations. */
  ServiceCatalog serviceCatalog();

  /** Finds traces by what their spans contain. */
  TraceSearch traceSearch();

  /** Whether the store can serve reads and writes now; cheap enough to call from /ready. */
  CheckResult check();

  /** Releases all resources. Idempotent. */
  @Override
  void close();
}
