package io.strand.server.cli;

import io.strand.server.config.ConfigKey;
import io.strand.server.config.ConfigLoader;
import io.strand.server.config.StrandConfig;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/** Options shared by the commands that run a server, and the resolution of its configuration. */
abstract class ConfiguredCommand {

  @CommandLine.Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "YAML configuration file.")
  Path configFile;

  @Option(names = "--data", paramLabel = "DIR",
      description = "Data directory (same as --storage.path).")
  Path dataDir;

  /** File, environment and flags merged and validated. */
  StrandConfig config() {
    Map<ConfigKey, String> flags = new EnumMap<>(ConfigKey.class);
    if (dataDir != null) {
      flags.put(ConfigKey.DATA_DIR, dataDir.toString());
    }
    for (ConfigKey key : ConfigKey.values()) {
      OptionSpec option = spec.findOption("--" + key.key());
      if (option != null && option.getValue() != null) {
        flags.put(key, option.getValue());
      }
    }
    return ConfigLoader.load(configFile, System.getenv(), flags);
  }
}
