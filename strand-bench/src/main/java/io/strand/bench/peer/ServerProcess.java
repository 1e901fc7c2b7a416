package io.strand.bench.peer;

import io.strand.bench.ProcStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test as its own JVM process: started with a command line, its ports read from
 * what it prints, its CPU time and resident memory read from /proc, stopped at the end.
 */
public final class ServerProcess implements AutoCloseable {
  private static final long CLOCK_TICKS_PER_SECOND = 100;

  private final String name;
  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private final Map<String, Integer> ports = new ConcurrentHashMap<>();
  private final Map<String, Pattern> portPatterns;

  private ServerProcess(String name, Process process, Map<String, Pattern> portPatterns) {
    this.name = name;
    this.process = process;
    this.portPatterns = portPatterns;
  }

  /**
   * Starts a process and waits (at most 120 s) until every named port pattern has matched a line
   * of its output; each pattern's first group is the port.
   */
  public static ServerProcess start(String name, List<String> command, Map<String, String> env,
      Map<String, Pattern> portPatterns) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    ServerProcess p = new ServerProcess(name, pb.start(), portPatterns);
    p.readOutput();
    p.awaitPorts();
    return p;
  }

  private void readOutput() {
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.add(line);
          for (Map.Entry<String, Pattern> e : portPatterns.entrySet()) {
            Matcher m = e.getValue().matcher(line);
            if (m.find()) {
              ports.putIfAbsent(e.getKey(), Integer.parseInt(m.group(1)));
            }
          }
        }
      } catch (IOException e) {
        output.add("(output closed: " + e + ")");
      }
    }, name + "-output");
    reader.setDaemon(true);
    reader.start();
  }

  private void awaitPorts() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (ports.size() < portPatterns.size()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException(name + " did not start; its output:\n"
            + String.join("\n", output));
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  public String name() {
    return name;
  }

  /** The port a pattern matched. */
  public int port(String which) {
    return ports.get(which);
  }

  /** User plus system CPU time of the process so far, in seconds, from /proc/pid/stat. */
  public double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      // Fields after the command name, which is in parentheses and may contain spaces.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return ticks / (double) CLOCK_TICKS_PER_SECOND;
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  /** Peak resident set size (VmHWM) in bytes, from /proc/pid/status; -1 when unknown. */
  public long peakRssBytes() {
    return ProcStatus.peakRssBytes(process.pid());
  }

  /** Resident set size now (VmRSS) in bytes, from /proc/pid/status; -1 when unknown. */
  public long rssBytes() {
    return ProcStatus.rssBytes(process.pid());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
