package io.strand.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An endless load generated and encoded while it is sent: producer threads, each with its own
 * seeded generator, fill a bounded queue the senders take from, so memory stays at a few
 * batches however long the run. Every span is new. It costs the generator's and encoder's CPU
 * on the machine under test (about 2.5 µs per span for OTLP protobuf, 4.5 for Zipkin JSON,
 * measured), which the {@link BatchPool#rotating rotating pool} avoids.
 */
public final class FreshBatches implements BatchSource {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final WireFormat format;
  private final BlockingQueue<Batch> queue;
  private final List<Thread> producers = new ArrayList<>();
  private final long[] cpuNanosAtExit;
  private final java.util.concurrent.atomic.LongAdder spans =
      new java.util.concurrent.atomic.LongAdder();
  private volatile boolean closed;

  /**
   * Starts {@code producerThreads} threads.
   *
   * @param queueCapacity batches waiting at most; producers block when it is full
   */
  public FreshBatches(WireFormat format, int producerThreads, int spansPerBatch, long seed,
      int queueCapacity) {
    this.format = format;
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.cpuNanosAtExit = new long[producerThreads];
    long start = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < producerThreads; i++) {
      int index = i;
      // Traces 30 µs apart at most on average, the clock pulled to the wall clock before each
      // batch: spans carry about the time they are sent at, whatever the rate.
      TraceGenerator generator = new TraceGenerator(seed + 7919L * i, start, 30_000L, 5, 60);
      Thread t = new Thread(() -> produce(index, generator,
          new SpanBatcher(generator, spansPerBatch)), "batch-producer-" + i);
      t.setDaemon(true);
      producers.add(t);
    }
    producers.forEach(Thread::start);
  }

  private void produce(int index, TraceGenerator generator, SpanBatcher batcher) {
    try {
      while (!closed) {
        generator.advanceClockTo(System.currentTimeMillis() * 1_000_000L);
        SpanBatcher.Cut cut = batcher.next();
        Batch batch = new Batch(format.encode(cut.spans()), cut.spans().size(),
            cut.wholeTraces(), cut.wholeTraceSpans());
        spans.add(batch.spans());
        queue.put(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      cpuNanosAtExit[index] = THREADS.getCurrentThreadCpuTime();
    }
  }

  @Override
  public Batch next() throws InterruptedException {
    while (!closed) {
      Batch b = queue.poll(100, TimeUnit.MILLISECONDS);
      if (b != null) {
        return b;
      }
    }
    return null;
  }

  @Override
  public WireFormat format() {
    return format;
  }

  @Override
  public String describe() {
    return String.format("generated and encoded (%s) while sending by %d producer thread(s) into"
        + " a queue of %d batches; every span new", format.label(), producers.size(),
        queue.remainingCapacity() + queue.size());
  }

  @Override
  public synchronized double cpuSeconds() {
    long total = 0;
    for (int i = 0; i < producers.size(); i++) {
      long running = THREADS.getThreadCpuTime(producers.get(i).threadId());
      total += running >= 0 ? running : cpuNanosAtExit[i];
    }
    return total / 1e9;
  }

  @Override
  public long spansProduced() {
    return spans.sum();
  }

  /** Stops the producers. */
  @Override
  public void close() {
    closed = true;
    for (Thread t : producers) {
      t.interrupt();
    }
    for (Thread t : producers) {
      try {
        t.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
