package io.strand.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.model.Span;
import io.strand.model.TraceId;
import io.strand.storage.StorageException;
import io.strand.storage.memory.InMemoryStorage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SpanIngesterTest {

  private static List<Span> batch(long id) {
    return List.of(Span.builder(new TraceId(1, id), 1).name("op").build());
  }

  @Test
  void futureCompletesAfterTheStoreHasTheBatch() throws Exception {
    InMemoryStorage store = new InMemoryStorage();
    try (SpanIngester ingester = new SpanIngester(store, 2, new QueueBounds(4, 1000, 1 << 20))) {
      ingester.ingest(batch(5), 100).get(10, TimeUnit.SECONDS);
      assertThat(store.getTrace(new TraceId(1, 5))).hasSize(1);
      assertThat(ingester.counters().storedSpans()).isEqualTo(1);
    }
  }

  @Test
  void fullQueueRefusesAtOnceInsteadOfBuffering() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch writing = new CountDownLatch(1);
    InMemoryStorage store = new InMemoryStorage();
    try (SpanIngester ingester = new SpanIngester(spans -> {
      writing.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      store.write(spans);
    }, 1, new QueueBounds(1, 1000, 1 << 20))) {
      CompletableFuture<Void> first = ingester.ingest(batch(1), 100);
      assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> queued = ingester.ingest(batch(2), 100);
      assertThatThrownBy(() -> ingester.ingest(batch(3), 100))
          .isInstanceOf(IngestRejectedException.class)
          .hasMessageContaining("queue is full");
      assertThat(ingester.counters().refusedSpans()).isEqualTo(1);
      release.countDown();
      first.get(10, TimeUnit.SECONDS);
      queued.get(10, TimeUnit.SECONDS);
      assertThat(store.getTrace(new TraceId(1, 3))).isEmpty();
    }
  }

  @Test
  void storeFailureFailsTheFuture() {
    try (SpanIngester ingester = new SpanIngester(spans -> {
      throw new StorageException("disk on fire");
    }, 1, new QueueBounds(1, 1000, 1 << 20))) {
      CompletableFuture<Void> f = ingester.ingest(batch(1), 100);
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasRootCauseMessage("disk on fire");
      assertThat(ingester.counters().failedSpans()).isEqualTo(1);
    }
  }

  @Test
  void spanAndByteBoundsRefuseBeforeTheBatchCountIsReached() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (SpanIngester ingester = new SpanIngester(spans -> await(release), 1,
        new QueueBounds(100, 3, 1_000))) {
      CompletableFuture<Void> first = ingester.ingest(batch(1), 400);
      ingester.ingest(batch(2), 400);
      assertThat(ingester.queuedSpans()).isEqualTo(2);
      assertThat(ingester.queuedBytes()).isEqualTo(800);
      assertThatThrownBy(() -> ingester.ingest(batch(3), 400))
          .as("bytes: 1,200 > 1,000").isInstanceOf(IngestRejectedException.class);
      ingester.ingest(batch(4), 100);
      assertThatThrownBy(() -> ingester.ingest(batch(5), 1))
          .as("spans: 4 > 3").isInstanceOf(IngestRejectedException.class);
      assertThat(ingester.counters().refusedSpans()).isEqualTo(2);
      release.countDown();
      first.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anEmptyQueueTakesABatchLargerThanTheBounds() throws Exception {
    InMemoryStorage store = new InMemoryStorage();
    try (SpanIngester ingester = new SpanIngester(store, 1, new QueueBounds(1, 1, 10))) {
      ingester.ingest(batch(7), 5_000).get(10, TimeUnit.SECONDS);
      assertThat(store.getTrace(new TraceId(1, 7))).hasSize(1);
      assertThat(ingester.queuedBytes()).isZero();
      assertThat(ingester.queuedSpans()).isZero();
    }
  }

  @Test
  void storeFailureIsReportedUntilAWriteSucceedsAgain() throws Exception {
    AtomicBoolean diskFull = new AtomicBoolean(true);
    InMemoryStorage store = new InMemoryStorage();
    try (SpanIngester ingester = new SpanIngester(spans -> {
      if (diskFull.get()) {
        throw new StorageException("No space left on device");
      }
      store.write(spans);
    }, 1, new QueueBounds(4, 1000, 1 << 20))) {
      CompletableFuture<Void> failed = ingester.ingest(batch(1), 10);
      assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS))
          .hasRootCauseMessage("No space left on device");
      assertThat(ingester.storeFailing()).isTrue();
      assertThat(ingester.queuedBytes()).as("a failed batch releases its room").isZero();
      diskFull.set(false);
      ingester.ingest(batch(2), 10).get(10, TimeUnit.SECONDS);
      assertThat(ingester.storeFailing()).isFalse();
      assertThat(store.getTrace(new TraceId(1, 2))).hasSize(1);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
