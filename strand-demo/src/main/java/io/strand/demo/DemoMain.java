package io.strand.demo;

import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Command-line entry point: sends demo traffic to an OTLP endpoint until the process is killed.
 *
 * <pre>
 * java -cp ... io.strand.demo.DemoMain [--protocol grpc|http] [--rate N] [--seed N] [ENDPOINT]
 * </pre>
 *
 * <p>{@code ENDPOINT} defaults to the protocol's local endpoint. When {@code --protocol} is omitted
 * it is inferred from the endpoint: a {@code /v1/traces} path or port 4318 means HTTP, otherwise
 * gRPC.
 */
public final class DemoMain {
  private static final String USAGE =
      """
      Usage: DemoMain [--protocol grpc|http] [--rate REQUESTS_PER_SECOND] [--seed SEED] [ENDPOINT]
        ENDPOINT     OTLP endpoint (default http://127.0.0.1:4317 for grpc,
                     http://127.0.0.1:4318/v1/traces for http)
        --protocol   OTLP transport; inferred from ENDPOINT when omitted
        --rate       requests (traces) per second, default 5
        --seed       random seed for a reproducible request mix
      """;

  private DemoMain() {}

  /**
   * Runs demo traffic until the JVM is terminated; exits with status 2 on bad arguments.
   *
   * @param args see the class documentation
   * @throws InterruptedException if the main thread is interrupted while waiting
   */
  public static void main(String[] args) throws InterruptedException {
    DemoTraffic.Builder builder;
    try {
      builder = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.print(USAGE);
      System.exit(2);
      return;
    }
    if (builder == null) {
      System.out.print(USAGE);
      return;
    }
    DemoTraffic traffic = builder.build();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  traffic.close();
                  stopped.countDown();
                },
                "strand-demo-shutdown"));
    traffic.start();
    System.err.printf("Sending demo traffic to %s (%s), seed %d. Ctrl-C to stop.%n",
        traffic.endpoint(), traffic.protocol(), traffic.seed());
    while (!stopped.await(30, TimeUnit.SECONDS)) {
      System.err.printf("%d requests generated%n", traffic.requestsGenerated());
    }
  }

  /**
   * Parses command-line arguments.
   *
   * @return a configured builder, or {@code null} if help was requested
   * @throws IllegalArgumentException on malformed arguments
   */
  static DemoTraffic.Builder parse(String... args) {
    DemoTraffic.Builder builder = DemoTraffic.builder();
    OtlpProtocol protocol = null;
    URI endpoint = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "-h", "--help" -> {
          return null;
        }
        case "--protocol" -> protocol = protocol(value(args, ++i, arg));
        case "--rate" -> builder.requestsPerSecond(decimal(value(args, ++i, arg), arg));
        case "--seed" -> builder.seed(integer(value(args, ++i, arg), arg));
        default -> {
          if (arg.startsWith("-") || endpoint != null) {
            throw new IllegalArgumentException("Unexpected argument: " + arg);
          }
          endpoint = uri(arg);
        }
      }
    }
    if (protocol == null) {
      protocol = endpoint != null && looksLikeHttp(endpoint)
          ? OtlpProtocol.HTTP_PROTOBUF
          : OtlpProtocol.GRPC;
    }
    return builder.protocol(protocol).endpoint(endpoint);
  }

  private static boolean looksLikeHttp(URI endpoint) {
    return endpoint.getPort() == 4318
        || (endpoint.getPath() != null && endpoint.getPath().endsWith("/v1/traces"));
  }

  private static OtlpProtocol protocol(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "grpc" -> OtlpProtocol.GRPC;
      case "http", "http/protobuf", "http_protobuf" -> OtlpProtocol.HTTP_PROTOBUF;
      default -> throw new IllegalArgumentException("Unknown protocol: " + value);
    };
  }

  private static URI uri(String value) {
    try {
      return URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid endpoint: " + value, e);
    }
  }

  private static String value(String[] args, int index, String option) {
    if (index >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[index];
  }

  private static double decimal(String value, String option) {
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " expects a number: " + value, e);
    }
  }

  private static long integer(String value, String option) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " expects an integer: " + value, e);
    }
  }
}
