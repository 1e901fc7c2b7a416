package io.strand.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shipped example configuration loads and states exactly the defaults. */
class ExampleConfigTest {

  @Test
  void exampleFileLoadsToTheDefaults() {
    Path example = Path.of("..", "strand.example.yaml");
    assertThat(ConfigLoader.load(example, Map.of(), Map.of())).isEqualTo(StrandConfig.defaults());
  }
}
