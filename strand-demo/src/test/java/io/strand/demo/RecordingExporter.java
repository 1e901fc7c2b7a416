package io.strand.demo;

import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps exported spans even after shutdown, and counts shutdowns. */
final class RecordingExporter implements SpanExporter {
  final List<SpanData> spans = new CopyOnWriteArrayList<>();
  final AtomicInteger shutdowns = new AtomicInteger();

  @Override
  public CompletableResultCode export(Collection<SpanData> batch) {
    spans.addAll(batch);
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    shutdowns.incrementAndGet();
    return CompletableResultCode.ofSuccess();
  }
}
