package io.strand.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's figures as {@code bench-results/<date>.json} and a Markdown table comparing each
 * Strand run with the peer, line by line, with the ratio.
 */
final class BenchReport {
  private BenchReport() {}

  private record Line(String metric, String unit, boolean higherIsBetter,
      java.util.function.ToDoubleFunction<PeerRun.Figures> value) {}

  private static final List<Line> LINES = List.of(
      new Line("acknowledged ingest", "spans/s", true, f -> f.ingest().spansPerSecond()),
      new Line("ingest, slowest whole second", "spans/s", true,
          f -> f.ingest().intervals(1).min()),
      new Line("ingest, median second", "spans/s", true, f -> f.ingest().intervals(1).median()),
      new Line("requests answered 429", "count", false, f -> f.ingest().tooManyRequests()),
      new Line("server CPU while ingesting", "cores", false, PeerRun.Figures::cpuCores),
      new Line("server peak RSS", "MiB", false, f -> f.peakRssBytes() / (double) (1 << 20)),
      new Line("sampled traces complete", "%", true,
          f -> 100.0 * f.completeTraces() / Math.max(1, f.sampledTraces())),
      new Line("trace by id p50", "ms", false, f -> f.traceById().p50()),
      new Line("trace by id p99", "ms", false, f -> f.traceById().p99()),
      new Line("annotation search p50", "ms", false, f -> f.annotationSearch().p50()),
      new Line("annotation search p99", "ms", false, f -> f.annotationSearch().p99()));

  /** Writes both files and returns the Markdown. */
  static String write(Path dir, Map<String, Object> settings, PeerRun.Figures peer,
      List<PeerRun.Figures> strand) throws IOException {
    Files.createDirectories(dir);
    String date = LocalDate.now().toString();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("date", date);
    json.put("settings", settings);
    List<PeerRun.Figures> all = new ArrayList<>();
    if (peer != null) {
      all.add(peer);
    }
    all.addAll(strand);
    json.put("runs", all);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(dir.resolve(date + ".json").toFile(), json);
    String md = markdown(date, settings, peer, strand);
    Files.writeString(dir.resolve(date + ".md"), md);
    return md;
  }

  private static String markdown(String date, Map<String, Object> settings,
      PeerRun.Figures peer, List<PeerRun.Figures> strand) {
    StringBuilder sb = new StringBuilder("# Strand benchmark, ").append(date).append("\n\n");
    settings.forEach((k, v) -> sb.append("- ").append(k).append(": ").append(v).append('\n'));
    sb.append("\n| metric | ");
    if (peer != null) {
      sb.append(peer.label()).append(" | ");
    }
    for (PeerRun.Figures f : strand) {
      sb.append(f.label()).append(peer != null ? " | ratio" : "").append(" | ");
    }
    sb.append("\n|---|");
    sb.append("---|".repeat((peer != null ? 1 : 0) + strand.size() * (peer != null ? 2 : 1)));
    sb.append('\n');
    for (Line line : LINES) {
      sb.append("| ").append(line.metric()).append(" (").append(line.unit()).append(") | ");
      double base = peer == null ? Double.NaN : line.value().applyAsDouble(peer);
      if (peer != null) {
        sb.append(format(base)).append(" | ");
      }
      for (PeerRun.Figures f : strand) {
        double v = line.value().applyAsDouble(f);
        sb.append(format(v)).append(" | ");
        if (peer != null) {
          double ratio = line.higherIsBetter() ? v / base : base / v;
          sb.append(Double.isFinite(ratio) ? String.format("%.2f×", ratio) : "n/a").append(" | ");
        }
      }
      sb.append('\n');
    }
    sb.append("\nRatios are Strand's advantage: above 1 means Strand is better on that line.\n");
    return sb.toString();
  }

  private static String format(double v) {
    if (!Double.isFinite(v)) {
      return "n/a";
    }
    return v >= 100 || v == Math.rint(v) ? String.format("%,.0f", v) : String.format("%.2f", v);
  }
}
