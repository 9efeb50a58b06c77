package dev.medley.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code medley}: run a gateway, validate a config, or run the demo. */
@Command(
    name = "medley",
    mixinStandardHelpOptions = true,
    // Every subcommand gets --help and --version (exit 0), and the exit status list.
    scope = CommandLine.ScopeType.INHERIT,
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:success (validate: every config is valid)",
      "1:invalid config, or the gateway did not start",
      "2:usage error (unknown option, missing argument)"
    },
    version = "medley 0.1.0",
    description = "A declarative Backend-for-Frontend gateway.",
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      TestCommand.class,
      OpenApiCommand.class,
      MockCommand.class,
      DemoCommand.class
    })
public final class Main implements Runnable {
  /** One line per log record: time, level, logger, message (and the stack trace, if any). */
  private static final String LOG_FORMAT = "%1$tFT%1$tT.%1$tL%1$tz %4$s %3$s: %5$s%6$s%n";

  public static void main(String[] args) {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
    }
    // Exit explicitly: the status is the command's even if a library left a non-daemon thread.
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
