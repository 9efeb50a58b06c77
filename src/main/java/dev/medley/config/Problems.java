package dev.medley.config;

import java.util.ArrayList;
import java.util.List;

/** Collects config errors so that one pass reports all of them instead of stopping at the first. */
public final class Problems {
  private final List<ConfigError> errors = new ArrayList<>();

  public void add(Src at, String path, String message) {
    errors.add(new ConfigError(at, path, message));
  }

  public boolean isEmpty() {
    return errors.isEmpty();
  }

  public List<ConfigError> errors() {
    return List.copyOf(errors);
  }

  /** Throws a {@link ConfigException} with everything collected, if anything was. */
  public void throwIfAny() throws ConfigException {
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
  }
}
