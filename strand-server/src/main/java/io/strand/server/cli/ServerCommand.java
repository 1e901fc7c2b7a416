package io.strand.server.cli;

import io.strand.server.StrandServer;
import io.strand.server.config.StrandConfig;
import picocli.CommandLine.Command;

/** {@code strand server}: runs the server until interrupted. */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Run the Strand server with the embedded store.")
final class ServerCommand extends ConfiguredCommand implements Runnable {

  @Override
  public void run() {
    StrandConfig config = config();
    StrandServer server = StrandServer.start(config);
    Endpoints.print(System.out, config, server);
    RunUntilStopped.await(server);
  }
}
