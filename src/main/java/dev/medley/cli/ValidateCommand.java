package dev.medley.cli;

import dev.medley.config.ConfigError;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code medley validate FILE...}: checks each config on its own and prints every error, located,
 * on standard error; a valid config gets one OK line on standard output. Exit status: 0 when every
 * config is valid, 1 when any is not (or cannot be read), 2 for a usage error (picocli's).
 */
@Command(
    name = "validate",
    description = "Check config files and print every error with its location.",
    exitCodeList = {
      "0:every config is valid",
      "1:a config has errors or cannot be read",
      "2:usage error"
    })
final class ValidateCommand implements Callable<Integer> {
  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "the YAML configs to check, each on its own")
  List<Path> files;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int status = 0;
    for (Path file : files) {
      status = Math.max(status, check(file, out, err));
    }
    return status;
  }

  private static int check(Path file, PrintWriter out, PrintWriter err) {
    ConfigCheck.Outcome r = ConfigCheck.check(file);
    List<ConfigError> errors = r.errors();
    if (errors.isEmpty()) {
      int n = r.plan().routes().size();
      out.println(
          file
              + ": OK ("
              + n
              + (n == 1 ? " route" : " routes")
              + ", version "
              + r.plan().version()
              + ")");
      return 0;
    }
    errors.forEach(e -> err.println(e.format()));
    err.println(errors.size() + (errors.size() == 1 ? " error" : " errors") + " in " + file);
    return 1;
  }
}
