package io.strand.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class DemoMainTest {

  private static DemoTraffic build(String... args) {
    return new DemoTraffic(DemoMain.parse(args), name -> new RecordingExporter());
  }

  @Test
  void defaultsToGrpcOnLocalhost() {
    try (DemoTraffic traffic = build()) {
      assertThat(traffic.protocol()).isEqualTo(OtlpProtocol.GRPC);
      assertThat(traffic.endpoint()).isEqualTo(URI.create("http://127.0.0.1:4317"));
    }
  }

  @Test
  void parsesAllOptions() {
    try (DemoTraffic traffic =
        build("--protocol", "http", "--rate", "2.5", "--seed", "-9007199254740993",
            "http://strand:4318/v1/traces")) {
      assertThat(traffic.protocol()).isEqualTo(OtlpProtocol.HTTP_PROTOBUF);
      assertThat(traffic.endpoint()).isEqualTo(URI.create("http://strand:4318/v1/traces"));
      assertThat(traffic.seed()).isEqualTo(-9007199254740993L);
    }
  }

  @Test
  void infersHttpFromTheEndpoint() {
    try (DemoTraffic traffic = build("http://strand:4318")) {
      assertThat(traffic.protocol()).isEqualTo(OtlpProtocol.HTTP_PROTOBUF);
      assertThat(traffic.endpoint()).isEqualTo(URI.create("http://strand:4318/v1/traces"));
    }
    try (DemoTraffic traffic = build("http://strand:14317")) {
      assertThat(traffic.protocol()).isEqualTo(OtlpProtocol.GRPC);
    }
  }

  @Test
  void helpAndErrors() {
    assertThat(DemoMain.parse("--help")).isNull();
    assertThatThrownBy(() -> DemoMain.parse("--rate")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DemoMain.parse("--rate", "fast"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DemoMain.parse("--protocol", "thrift"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DemoMain.parse("--bogus"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DemoMain.parse("http://a:4317", "http://b:4317"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
