package dev.medley.config;

import java.util.List;

/** A config that cannot be used, with every problem found in one pass. */
public final class ConfigException extends Exception {
  private final List<ConfigError> errors;

  public ConfigException(List<ConfigError> errors) {
    super(summary(errors));
    this.errors = List.copyOf(errors);
  }

  public List<ConfigError> errors() {
    return errors;
  }

  private static String summary(List<ConfigError> errors) {
    StringBuilder sb = new StringBuilder(errors.size() + " config error(s):");
    for (ConfigError e : errors) {
      sb.append("\n  ").append(e.format());
    }
    return sb.toString();
  }
}
