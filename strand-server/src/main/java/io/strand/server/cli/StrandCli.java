package io.strand.server.cli;

import io.strand.server.config.ConfigException;
import io.strand.server.config.ConfigKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code strand}: the command-line entry point. */
@Command(
    name = "strand",
    mixinStandardHelpOptions = true,
    version = "Strand 0.1.0",
    description = "Strand: a distributed tracing platform (OTLP and Zipkin in, traces out).",
    subcommands = {ServerCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class StrandCli implements Runnable {

  @CommandLine.Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs the CLI and exits with its code. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns the exit code, for tests. */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The command tree, with a flag for every configuration key added to each subcommand. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new StrandCli());
    cli.getCommandSpec().usageMessage().footer(footer()).width(100);
    for (String name : new String[] {"server", "demo"}) {
      CommandSpec sub = cli.getSubcommands().get(name).getCommandSpec();
      for (ConfigKey key : ConfigKey.values()) {
        sub.addOption(OptionSpec.builder("--" + key.key())
            .paramLabel("<value>")
            .type(String.class)
            .description(key.description() + " Default: " + key.defaultValue() + ".")
            .build());
      }
    }
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof ConfigException) {
        cmd.getErr().println("strand: configuration error: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    return cli;
  }

  private static String[] footer() {
    StringBuilder keys = new StringBuilder();
    for (ConfigKey k : ConfigKey.values()) {
      keys.append(String.format("  %s = %s   (%s)%n      %s%n", k.key(), k.defaultValue(),
          k.envName(), k.description()));
    }
    return new String[] {
      "",
      "Configuration comes from a YAML file (--config), STRAND_* environment variables and"
          + " flags (--<key>=<value> on 'strand server' and 'strand demo'), in rising"
          + " precedence. The keys, with their defaults and environment variables:",
      "",
      keys.toString()};
  }
}
