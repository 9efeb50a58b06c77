package dev.medley.cli;

import dev.medley.config.ConfigError;
import dev.medley.config.Env;
import dev.medley.gateway.ConfigSource;
import dev.medley.plan.Plan;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    return check(new ConfigSource(file, Env.system(), null, null));
  }

  /** Checks the source's file as it is now, with the source's port overrides applied. */
  static Outcome check(ConfigSource source) {
    String text;
    try {
      text = Files.readString(source.file(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return new Outcome(null, null, List.of(source.unreadable(e)));
    }
    ConfigSource.Checked c = source.check(text);
    return new Outcome(text, c.plan(), c.errors());
  }
}
