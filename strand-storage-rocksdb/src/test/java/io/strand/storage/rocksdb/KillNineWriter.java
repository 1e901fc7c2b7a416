package io.strand.storage.rocksdb;

import io.strand.model.Span;
import io.strand.model.SpanKind;
import io.strand.model.TraceId;
import io.strand.storage.TestSpans;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Child process of {@link KillNineIT}: writes batches forever, printing {@code ACK n} after the
 * write of batch {@code n} returned, until it is killed.
 */
public final class KillNineWriter {

  static final int SPANS_PER_BATCH = 20;

  private KillNineWriter() {}

  static List<Span> batch(int n) {
    TraceId id = new TraceId(9, n + 1);
    List<Span> spans = new ArrayList<>();
    for (int i = 1; i <= SPANS_PER_BATCH; i++) {
      spans.add(TestSpans.simple(id, i, i == 1 ? 0 : 1, "svc" + (n % 3), "op" + i,
          SpanKind.SERVER, TestSpans.T0 + n, 1_000, Map.of("batch", Integer.toString(n))));
    }
    return spans;
  }

  public static void main(String[] args) {
    RocksDbStorage storage = RocksDbStorage.open(RocksDbConfig.of(Path.of(args[0])));
    for (int n = 0; ; n++) {
      storage.spanWriter().write(batch(n));
      System.out.println("ACK " + n);
      System.out.flush();
    }
  }
}
