package dev.medley.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code medley}: run a gateway, validate a config, or run the demo. */
@Command(
    name = "medley",
    mixinStandardHelpOptions = true,
    version = "medley 0.1.0",
    description = "A declarative Backend-for-Frontend gateway.",
    subcommands = {RunCommand.class, ValidateCommand.class, DemoCommand.class})
public final class Main implements Runnable {
  public static void main(String[] args) {
    // Exit explicitly: the status is the command's even if a library left a non-daemon thread.
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
