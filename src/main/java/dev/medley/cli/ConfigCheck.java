package dev.medley.cli;

import dev.medley.config.ConfigError;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.plan.Plan;
import dev.medley.plan.PlanCompiler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Loads and compiles a config file, gathering structural and plan errors together so one run
 * reports everything, sorted by location.
 */
final class ConfigCheck {
  private ConfigCheck() {}

  /** The text read, the plan when there were no errors, and the errors. */
  record Outcome(String text, Plan plan, List<ConfigError> errors) {}

  static Outcome check(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new Outcome(null, null, List.of(new ConfigError(new dev.medley.config.Src(file.toString(), 0, 0), "",
          "cannot read config: " + e.getMessage())));
    }
    ConfigLoader.Result loaded = new ConfigLoader(Env.system()).parse(text, file.toString());
    LinkedHashSet<ConfigError> errors = new LinkedHashSet<>(loaded.errors());
    Plan plan = null;
    if (loaded.spec() != null) {
      PlanCompiler.Result compiled = PlanCompiler.compile(loaded.spec(), dev.medley.gateway.Gateway.version(text));
      errors.addAll(compiled.errors());
      plan = compiled.plan();
    }
    List<ConfigError> sorted = new ArrayList<>(errors);
    sorted.sort(Comparator.comparingInt((ConfigError e) -> e.at().line()).thenComparingInt(e -> e.at().column()));
    return new Outcome(text, sorted.isEmpty() ? plan : null, sorted);
  }
}
