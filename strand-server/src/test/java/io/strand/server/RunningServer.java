package io.strand.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process server per test class, on free loopback ports and a fresh data directory,
 * always stopped and deleted afterwards. Use as
 * {@code @RegisterExtension static final RunningServer SERVER = new RunningServer();}.
 */
public final class RunningServer implements BeforeAllCallback, AfterAllCallback {
  private Path dataDir;
  private StrandServer server;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dataDir = Files.createTempDirectory("strand-it-");
    server = TestServers.start(dataDir);
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      try (Stream<Path> files = Files.walk(dataDir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** The running server. */
  public StrandServer get() {
    return server;
  }
}
