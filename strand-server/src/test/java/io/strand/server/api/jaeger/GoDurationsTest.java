package io.strand.server.api.jaeger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GoDurationsTest {

  @ParameterizedTest
  @CsvSource({
      "0, 0",
      "100ms, 100000000",
      "1.5s, 1500000000",
      "1h30m, 5400000000000",
      "2h45m30.5s, 9930500000000",
      "250us, 250000",
      "250µs, 250000",
      "7ns, 7",
      ".5s, 500000000",
      "+1m, 60000000000",
      "2d, 172800000000000",
      "1w, 604800000000000",
      "1.0000000001s, 1000000000",
  })
  void parsesGoDurations(String text, long nanos) {
    assertThat(GoDurations.parseNanos(text)).isEqualTo(nanos);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''            | empty duration",
      "100           | missing unit in duration \"100\"",
      "1.5.2s        | invalid duration \"1.5.2s\"",
      "ms            | invalid duration \"ms\"",
      "-1s           | negative duration \"-1s\"",
      "3y            | unknown unit \"y\" in duration \"3y\" (use ns, us, ms, s, m, h, d or w)",
      "99999999999h  | duration \"99999999999h\" is too long",
  })
  void refusesWhatGoRefusesAndNegatives(String text, String message) {
    assertThatThrownBy(() -> GoDurations.parseNanos(text))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }
}
