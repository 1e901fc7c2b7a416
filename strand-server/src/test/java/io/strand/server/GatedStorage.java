package io.strand.server;

import io.strand.model.Span;
import io.strand.storage.CheckResult;
import io.strand.storage.ServiceCatalog;
import io.strand.storage.SpanWriter;
import io.strand.storage.StorageComponent;
import io.strand.storage.StorageException;
import io.strand.storage.TraceReader;
import io.strand.storage.TraceSearch;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real store whose writes a test can hold (to fill the ingest queue) or fail (as a full disk
 * does), while reads go straight through.
 */
public final class GatedStorage implements StorageComponent {
  private final StorageComponent delegate;
  private volatile CountDownLatch hold;
  private volatile String failure;
  private final CountDownLatch writing = new CountDownLatch(1);

  public GatedStorage(StorageComponent delegate) {
    this.delegate = delegate;
  }

  /** Writes block until {@link #release()}. */
  public void hold() {
    hold = new CountDownLatch(1);
  }

  /** Lets held writes through and stops holding. */
  public void release() {
    CountDownLatch h = hold;
    hold = null;
    if (h != null) {
      h.countDown();
    }
  }

  /** Writes fail with this message until {@link #heal()}. */
  public void fail(String message) {
    failure = message;
  }

  public void heal() {
    failure = null;
  }

  /** Waits (bounded) until a write is blocked in {@link #hold()}. */
  public boolean awaitHeldWrite() throws InterruptedException {
    return writing.await(10, TimeUnit.SECONDS);
  }

  @Override
  public SpanWriter spanWriter() {
    SpanWriter real = delegate.spanWriter();
    return (List<Span> spans) -> {
      CountDownLatch h = hold;
      if (h != null) {
        writing.countDown();
        try {
          h.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      String f = failure;
      if (f != null) {
        throw new StorageException(f);
      }
      real.write(spans);
    };
  }

  @Override
  public TraceReader traceReader() {
    return delegate.traceReader();
  }

  @Override
  public ServiceCatalog serviceCatalog() {
    return delegate.serviceCatalog();
  }

  @Override
  public TraceSearch traceSearch() {
    return delegate.traceSearch();
  }

  @Override
  public CheckResult check() {
    return delegate.check();
  }

  @Override
  public void close() {
    release();
    delegate.close();
  }
}
