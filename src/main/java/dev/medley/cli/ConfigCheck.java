package dev.medley.cli;

import dev.medley.config.ConfigError;
import dev.medley.config.Env;
import dev.medley.gateway.ConfigSource;
import dev.medley.plan.Plan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads and compiles a config file (or folder), gathering structural and plan errors together so
 * one run reports everything, sorted by location.
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
    ConfigSource.Snapshot files;
    try {
      files = source.readNow(); // one file, or every file of a folder config
    } catch (IOException e) {
      return new Outcome(null, null, List.of(source.unreadable(e)));
    }
    ConfigSource.Checked c = source.check(files);
    return new Outcome(c.text(), c.plan(), c.errors());
  }
}
