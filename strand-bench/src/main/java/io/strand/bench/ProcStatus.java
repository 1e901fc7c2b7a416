package io.strand.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory figures of a process from {@code /proc/<pid>/status} (Linux). */
public final class ProcStatus {
  private ProcStatus() {}

  /** Resident set size now ({@code VmRSS}), bytes; -1 when unknown. */
  public static long rssBytes(long pid) {
    return field(pid, "VmRSS:");
  }

  /** Peak resident set size ({@code VmHWM}), bytes; -1 when unknown. */
  public static long peakRssBytes(long pid) {
    return field(pid, "VmHWM:");
  }

  private static long field(long pid, String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
