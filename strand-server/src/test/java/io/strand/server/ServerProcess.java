package io.strand.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server as a separate JVM, started with this test's class path on free loopback ports, so a
 * test can SIGKILL it. Ports are read from the addresses the server prints once it listens.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern ENDPOINT =
      Pattern.compile("^\\s+(Query API|OTLP/gRPC|OTLP/HTTP|Zipkin)\\s+http://[^:]+:(\\d+)");

  private final Process process;
  private final List<String> output = new CopyOnWriteArrayList<>();
  private Thread outputReader;
  private volatile int queryPort;
  private volatile int otlpHttpPort;
  private volatile int otlpGrpcPort;
  private volatile int zipkinPort;

  private ServerProcess(Process process) {
    this.process = process;
  }

  /** Starts {@code strand server} from this test's class path and waits until it listens. */
  public static ServerProcess start(Path dataDir, String... extraFlags) throws IOException {
    return launch(List.of("-cp", System.getProperty("java.class.path"),
        "io.strand.server.cli.StrandCli", "server"), dataDir, extraFlags);
  }

  /** Starts {@code java -jar jar <command>}, the way the launcher script runs Strand. */
  public static ServerProcess startJar(Path jar, String command, Path dataDir,
      String... extraFlags) throws IOException {
    return launch(List.of("-jar", jar.toString(), command), dataDir, extraFlags);
  }

  /**
   * Like {@link #startJar(Path, String, Path, String...)}, with {@code jvmOptions} given to the
   * server's JVM after the default ones, so {@code -Xmx256m} there replaces the default heap.
   */
  public static ServerProcess startJar(Path jar, String command, Path dataDir,
      List<String> jvmOptions, String... extraFlags) throws IOException {
    return launch(jvmOptions, List.of("-jar", jar.toString(), command), dataDir, extraFlags);
  }

  private static ServerProcess launch(List<String> program, Path dataDir, String... extraFlags)
      throws IOException {
    return launch(List.of(), program, dataDir, extraFlags);
  }

  private static ServerProcess launch(List<String> jvmOptions, List<String> program,
      Path dataDir, String... extraFlags) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
        "-Xmx512m"));
    cmd.addAll(jvmOptions);
    cmd.addAll(program);
    cmd.addAll(List.of("--data", dataDir.toString(),
        "--server.bind-address=127.0.0.1", "--server.query-port=0",
        "--receivers.otlp-grpc-port=0", "--receivers.otlp-http-port=0",
        "--receivers.zipkin-port=0"));
    cmd.addAll(List.of(extraFlags));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("STRAND_"));
    ServerProcess server = new ServerProcess(pb.start());
    server.readOutput();
    server.awaitPorts();
    return server;
  }

  private void readOutput() {
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.add(line);
          Matcher m = ENDPOINT.matcher(line);
          if (m.find()) {
            int port = Integer.parseInt(m.group(2));
            switch (m.group(1)) {
              case "Query API" -> queryPort = port;
              case "OTLP/gRPC" -> otlpGrpcPort = port;
              case "OTLP/HTTP" -> otlpHttpPort = port;
              default -> zipkinPort = port;
            }
          }
        }
      } catch (IOException e) {
        output.add("(output closed: " + e + ")");
      }
    }, "server-process-output");
    reader.setDaemon(true);
    reader.start();
    outputReader = reader;
  }

  private void awaitPorts() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (queryPort == 0 || otlpHttpPort == 0 || otlpGrpcPort == 0 || zipkinPort == 0) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException("server did not start; its output:\n"
            + String.join("\n", output));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  public int queryPort() {
    return queryPort;
  }

  public int otlpHttpPort() {
    return otlpHttpPort;
  }

  public int otlpGrpcPort() {
    return otlpGrpcPort;
  }

  public int zipkinPort() {
    return zipkinPort;
  }

  /** The server process's id, e.g. to read {@code /proc/<pid>/status}. */
  public long pid() {
    return process.pid();
  }

  /** What the server printed so far. */
  public List<String> output() {
    return List.copyOf(output);
  }

  /** SIGKILL: no shutdown hook, no flush, as a crash would. Waits until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("server did not die within 30 s of SIGKILL");
    }
  }

  /**
   * SIGTERM: the server shuts down cleanly, closing its store. Waits until the process is gone and
   * everything it printed has been read.
   *
   * @return the process's exit code
   */
  public int stop() throws InterruptedException {
    // Not process.destroy(): that also closes the process's output at once, losing what the
    // server prints while it stops.
    process.toHandle().destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("server did not stop within 60 s of SIGTERM");
    }
    outputReader.join(TimeUnit.SECONDS.toMillis(10));
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
