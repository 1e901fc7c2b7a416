package io.strand.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  @TempDir Path dir;

  @Test
  void defaultsMatchTheDocumentedOnes() {
    StrandConfig c = ConfigLoader.load(null, Map.of(), Map.of());
    assertThat(c.otlpGrpcPort()).isEqualTo(4317);
    assertThat(c.otlpHttpPort()).isEqualTo(4318);
    assertThat(c.zipkinPort()).isEqualTo(9411);
    assertThat(c.queryPort()).isEqualTo(16686);
    assertThat(c.maxRequestBytes()).isEqualTo(8L << 20);
    assertThat(c.retentionMaxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(c.retentionMaxBytes()).isEqualTo(10L << 30);
    assertThat(c.dataDir()).isEqualTo(Path.of("./strand-data"));
    assertThat(c.sealedCompressionLevel()).isEqualTo(9);
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsTheFile() throws Exception {
    Path yaml = dir.resolve("strand.yaml");
    Files.writeString(yaml, """
        storage:
          path: /from/file
          retention:
            max-age: 3d
        receivers:
          zipkin-port: 19411
        """);
    StrandConfig c = ConfigLoader.load(yaml,
        Map.of("STRAND_STORAGE_RETENTION_MAX_AGE", "2d", "STRAND_RECEIVERS_ZIPKIN_PORT", "29411",
            "PATH", "/usr/bin", "STRAND_JAVA_OPTS", "-Xmx1g"),
        Map.of(ConfigKey.ZIPKIN_PORT, "39411"));
    assertThat(c.dataDir()).isEqualTo(Path.of("/from/file"));
    assertThat(c.retentionMaxAge()).isEqualTo(Duration.ofDays(2));
    assertThat(c.zipkinPort()).isEqualTo(39411);
  }

  @Test
  void unknownYamlKeyIsNamed() throws Exception {
    Path yaml = dir.resolve("bad.yaml");
    Files.writeString(yaml, "storage:\n  retension:\n    max-age: 3d\n");
    assertThatThrownBy(() -> ConfigLoader.load(yaml, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown configuration key 'storage.retension.max-age'");
  }

  @Test
  void unknownEnvironmentVariableIsNamed() {
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("STRAND_STORAGE_PATHH", "x"),
        Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("STRAND_STORAGE_PATHH");
  }

  @Test
  void badValuesNameTheKeyAndTheirSource() {
    assertThatThrownBy(() -> ConfigLoader.load(null,
        Map.of("STRAND_STORAGE_RETENTION_MAX_AGE", "7 days"), Map.of()))
        .hasMessageContaining("storage.retention.max-age")
        .hasMessageContaining("STRAND_STORAGE_RETENTION_MAX_AGE")
        .hasMessageContaining("not a duration");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(),
        Map.of(ConfigKey.OTLP_GRPC_PORT, "70000")))
        .hasMessageContaining("receivers.otlp-grpc-port")
        .hasMessageContaining("outside 0..65535");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(),
        Map.of(ConfigKey.MAX_REQUEST_SIZE, "8 parsecs")))
        .hasMessageContaining("receivers.max-request-size")
        .hasMessageContaining("not a size");
    assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(),
        Map.of(ConfigKey.SEALED_COMPRESSION_LEVEL, "23")))
        .hasMessageContaining("storage.sealed-compression-level")
        .hasMessageContaining("1..22");
  }

  @Test
  void sizesAndDurationsAcceptTheirUnits() {
    assertThat(ValueParsers.bytes("512KiB")).isEqualTo(512L * 1024);
    assertThat(ValueParsers.bytes("10GiB")).isEqualTo(10L << 30);
    assertThat(ValueParsers.bytes("1000")).isEqualTo(1000L);
    assertThat(ValueParsers.duration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(ValueParsers.duration("12h")).isEqualTo(Duration.ofHours(12));
  }

  @Test
  void environmentNamesAreDerivedFromKeys() {
    assertThat(ConfigKey.RETENTION_MAX_SIZE.envName()).isEqualTo("STRAND_STORAGE_RETENTION_MAX_SIZE");
    assertThat(ConfigKey.byEnvName("STRAND_SERVER_QUERY_PORT")).isEqualTo(ConfigKey.QUERY_PORT);
  }
}
