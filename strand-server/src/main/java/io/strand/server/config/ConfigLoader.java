package io.strand.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Resolves configuration from a YAML file, {@code STRAND_*} environment variables and CLI flags,
 * in rising precedence. Unknown keys and bad values stop start-up with a message naming them.
 */
public final class ConfigLoader {

  /** Environment variables the launcher script reads itself; they are not configuration keys. */
  private static final Set<String> LAUNCHER_VARIABLES = Set.of("STRAND_JAVA_OPTS", "STRAND_JAR");

  private final Map<ConfigKey, String> values = new EnumMap<>(ConfigKey.class);
  private final Map<ConfigKey, String> sources = new EnumMap<>(ConfigKey.class);

  /**
   * Resolves the configuration.
   *
   * @param yamlFile a YAML file, or null for none
   * @param environment the process environment (only {@code STRAND_*} entries are read)
   * @param flags values given on the command line
   * @throws ConfigException naming the key and source of the first problem
   */
  public static StrandConfig load(
      Path yamlFile, Map<String, String> environment, Map<ConfigKey, String> flags) {
    ConfigLoader loader = new ConfigLoader();
    if (yamlFile != null) {
      loader.readYaml(yamlFile);
    }
    loader.readEnvironment(environment);
    flags.forEach((k, v) -> loader.set(k, v, "--" + k.key()));
    return StrandConfig.from(loader.values, loader.sources);
  }

  private void set(ConfigKey key, String value, String source) {
    values.put(key, value);
    sources.put(key, source);
  }

  private void readYaml(Path file) {
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return;
    }
    if (!root.isObject()) {
      throw new ConfigException(file + ": the top level must be a mapping of keys");
    }
    flatten(file, "", root);
  }

  private void flatten(Path file, String prefix, JsonNode node) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      JsonNode value = e.getValue();
      if (value.isObject()) {
        flatten(file, path, value);
        continue;
      }
      ConfigKey key = ConfigKey.byKey(path);
      if (key == null) {
        throw new ConfigException("unknown configuration key '" + path + "' in " + file
            + " (see 'strand --help' for the keys)");
      }
      if (!value.isValueNode() || value.isNull()) {
        throw new ConfigException(path + " in " + file + " must be a single value");
      }
      set(key, value.asText(), file.toString());
    }
  }

  private void readEnvironment(Map<String, String> environment) {
    for (Map.Entry<String, String> e : environment.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith("STRAND_") || LAUNCHER_VARIABLES.contains(name)) {
        continue;
      }
      ConfigKey key = ConfigKey.byEnvName(name);
      if (key == null) {
        throw new ConfigException("unknown environment variable " + name
            + " (no configuration key has that name; see 'strand --help')");
      }
      set(key, e.getValue(), "environment variable " + name);
    }
  }
}
