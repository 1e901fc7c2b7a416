package io.strand.server.cli;

import io.strand.demo.DemoTraffic;
import io.strand.demo.OtlpProtocol;
import io.strand.server.StrandServer;
import io.strand.server.config.StrandConfig;
import java.net.URI;
import picocli.CommandLine.Command;

/**
 * {@code strand demo}: the server with the embedded store, plus demo services sending realistic
 * traffic to it over OTLP/gRPC, until interrupted.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the server and demo services that send it realistic traces.")
final class DemoCommand extends ConfiguredCommand implements Runnable {

  @Override
  public void run() {
    StrandConfig config = config();
    StrandServer server = StrandServer.start(config);
    DemoTraffic demo = null;
    boolean started = false;
    try {
      demo = DemoTraffic.builder()
          .endpoint(URI.create("http://" + Endpoints.host(config) + ":" + server.otlpGrpcPort()))
          .protocol(OtlpProtocol.GRPC)
          .requestsPerSecond(config.demoRate())
          .seed(System.nanoTime())
          .build();
      demo.start();
      started = true;
    } finally {
      if (!started) {
        if (demo != null) {
          demo.close();
        }
        server.close();
      }
    }
    Endpoints.print(System.out, config, server);
    System.out.printf("Demo traffic: %.1f requests/s from frontend, checkout, payment, inventory,"
        + " recommendation, shipping and more.%nPress Ctrl+C to stop.%n%n", config.demoRate());
    System.out.flush();
    RunUntilStopped.await(server, demo);
  }
}
