package io.strand.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.server.config.ConfigKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StrandCliTest {

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = StrandCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void helpDocumentsEveryKeyWithDefaultAndEnvironmentVariable() {
    Run r = run("--help");
    assertThat(r.code()).isZero();
    for (ConfigKey k : ConfigKey.values()) {
      assertThat(r.out()).contains(k.key(), k.envName(), k.defaultValue());
    }
    assertThat(r.out()).contains("server", "demo");
  }

  @Test
  void serverHelpListsAFlagPerKey() {
    Run r = run("server", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("--config", "--data", "--storage.retention.max-age",
        "--receivers.max-request-size");
  }

  @Test
  void badFlagValueStopsStartUpNamingTheKey() {
    Run r = run("server", "--receivers.otlp-grpc-port=many");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("receivers.otlp-grpc-port", "not a whole number");
  }

  @Test
  void unknownFlagIsRefused() {
    Run r = run("server", "--storage.retension=1d");
    assertThat(r.code()).isNotZero();
    assertThat(r.err()).contains("--storage.retension");
  }
}
