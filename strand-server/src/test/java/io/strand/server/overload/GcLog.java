package io.strand.server.overload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the server JVM's {@code -Xlog:gc} file says of its heap: before each pause is when the heap
 * is fullest, so the largest "before" is the heap's high-water mark, which scrapes every 250 ms
 * would mostly miss; the largest "after" bounds what was live.
 */
record GcLog(int pauses, int fullPauses, long maxBeforeBytes, long maxAfterBytes,
    long maxCapacityBytes) {
  /** {@code GC(12) Pause Young (Normal) (G1 Evacuation Pause) 120M->30M(256M) 5.1ms}. */
  private static final Pattern PAUSE = Pattern.compile(
      "GC\\(\\d+\\) (Pause \\w+).*? (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  static GcLog read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return new GcLog(0, 0, 0, 0, 0);
    }
    List<String> lines = Files.readAllLines(file);
    int pauses = 0;
    int full = 0;
    long before = 0;
    long after = 0;
    long capacity = 0;
    for (String line : lines) {
      Matcher m = PAUSE.matcher(line);
      if (!m.find()) {
        continue;
      }
      pauses++;
      if (m.group(1).equals("Pause Full")) {
        full++;
      }
      before = Math.max(before, bytes(m.group(2), m.group(3)));
      after = Math.max(after, bytes(m.group(4), m.group(5)));
      capacity = Math.max(capacity, bytes(m.group(6), m.group(7)));
    }
    return new GcLog(pauses, full, before, after, capacity);
  }

  private static long bytes(String number, String unit) {
    long n = Long.parseLong(number);
    return switch (unit) {
      case "K" -> n << 10;
      case "M" -> n << 20;
      default -> n << 30;
    };
  }
}
