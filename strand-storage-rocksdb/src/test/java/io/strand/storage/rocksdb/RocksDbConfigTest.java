package io.strand.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RocksDbConfigTest {

  private static final Path DIR = Path.of("data");

  @Test
  void defaultsAreTheNamedConstants() {
    RocksDbConfig c = RocksDbConfig.of(DIR);
    assertThat(c.path()).isEqualTo(DIR);
    assertThat(c.retentionMaxAge()).isEqualTo(Duration.ofDays(7))
        .isEqualTo(RocksDbConfig.DEFAULT_RETENTION_MAX_AGE);
    assertThat(c.retentionMaxBytes()).isEqualTo(10L << 30);
    assertThat(c.partitionLength()).isEqualTo(Duration.ofHours(1));
    assertThat(c.retentionCheckInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.sealedCompressionLevel()).isEqualTo(9);
    assertThat(c.clock()).isEqualTo(Clock.systemUTC());
    assertThat(new RocksDbConfig(DIR, null, 1, null, null, 9, null)).isEqualTo(
        RocksDbConfig.builder(DIR).retentionMaxBytes(1).build());
  }

  @Test
  void invalidSettingsAreRefusedWithTheReason() {
    assertThatThrownBy(() -> RocksDbConfig.builder(null).build())
        .hasMessageContaining("path");
    assertThatThrownBy(() -> RocksDbConfig.builder(DIR).partitionLength(Duration.ZERO).build())
        .hasMessageContaining("partitionLength");
    assertThatThrownBy(() -> RocksDbConfig.builder(DIR)
        .partitionLength(Duration.ofNanos(1_500_000)).build())
        .hasMessageContaining("whole number of milliseconds");
    assertThatThrownBy(() -> RocksDbConfig.builder(DIR)
        .retentionMaxAge(Duration.ofMinutes(30)).build())
        .hasMessageContaining("at least partitionLength");
    assertThatThrownBy(() -> RocksDbConfig.builder(DIR).retentionMaxBytes(0).build())
        .hasMessageContaining("retentionMaxBytes");
    assertThatThrownBy(() -> RocksDbConfig.builder(DIR)
        .retentionCheckInterval(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("retentionCheckInterval");
    assertThatThrownBy(() -> RocksDbConfig.builder(DIR).sealedCompressionLevel(0).build())
        .hasMessageContaining("sealedCompressionLevel must be from 1 to 22, got 0");
    assertThatThrownBy(() -> RocksDbConfig.builder(DIR).sealedCompressionLevel(23).build())
        .hasMessageContaining("got 23");
  }
}
