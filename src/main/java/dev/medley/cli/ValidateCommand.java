package dev.medley.cli;

import dev.medley.config.ConfigError;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code medley validate FILE}: every error, located, and exit 1; or exit 0. */
@Command(name = "validate", description = "Check a config file and print every error with its location.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "the YAML config to check")
  Path file;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ConfigCheck.Outcome r = ConfigCheck.check(file);
    List<ConfigError> errors = r.errors();
    if (errors.isEmpty()) {
      int n = r.plan().routes().size();
      out.println(file + ": OK (" + n + (n == 1 ? " route" : " routes") + ", version " + r.plan().version() + ")");
      return 0;
    }
    errors.forEach(e -> out.println(e.format()));
    out.println(errors.size() + (errors.size() == 1 ? " error" : " errors") + " in " + file);
    return 1;
  }
}
