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
import org.junit.jupiter.api.Test;

class SpanIngesterTest {

  private static List<Span> batch(long id) {
    return List.of(Span.builder(new TraceId(1, id), 1).name("op").build());
  }

  @Test
  void futureCompletesAfterTheStoreHasTheBatch() throws Exception {
    InMemoryStorage store = new InMemoryStorage();
    try (SpanIngester ingester = new SpanIngester(store, 2, 4)) {
      ingester.ingest(batch(5)).get(10, TimeUnit.SECONDS);
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
    }, 1, 1)) {
      CompletableFuture<Void> first = ingester.ingest(batch(1));
      assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> queued = ingester.ingest(batch(2));
      assertThatThrownBy(() -> ingester.ingest(batch(3)))
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
    }, 1, 1)) {
      CompletableFuture<Void> f = ingester.ingest(batch(1));
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasRootCauseMessage("disk on fire");
      assertThat(ingester.counters().failedSpans()).isEqualTo(1);
    }
  }
}
