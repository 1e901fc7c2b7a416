package io.strand.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.server.ServerProcess;
import io.strand.server.TestServers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strand demo} from the shipped jar, as the README's first command runs it: the server
 * starts, the demo services send traces, and they can be read back. Runs after packaging, so it
 * also proves the jar carries everything the demo needs.
 */
class DemoCommandIT {

  @TempDir Path data;

  @Test
  void shippedJarRunsTheDemo() throws Exception {
    Path jar = Path.of("target", "strand.jar");
    assertThat(jar).as("the shaded jar is built before integration tests").exists();
    try (ServerProcess demo = ServerProcess.startJar(jar, "demo", data, "--demo.rate=20")) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      String services = "";
      // Services appear in the order their spans are exported: wait for all three, not one.
      while (System.nanoTime() < deadline && !(services.contains("frontend")
          && services.contains("checkout") && services.contains("payment"))) {
        HttpResponse<String> r = TestServers.get(demo.queryPort(), "/api/v1/services");
        services = r.statusCode() == 200 ? r.body() : "";
        Thread.sleep(200);
      }
      assertThat(services).as("services seen; demo output:\n%s",
          String.join("\n", demo.output())).contains("frontend", "checkout", "payment");
      assertThat(String.join("\n", demo.output())).contains("Press Ctrl+C to stop");
    }
    assertThat(Files.list(data).findAny()).as("data written to --data").isPresent();
  }
}
