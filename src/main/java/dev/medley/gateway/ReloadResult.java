package dev.medley.gateway;

import dev.medley.config.ConfigError;
import java.util.List;

/**
 * What a reload did.
 *
 * @param status applied, unchanged, rejected, or unavailable (no config file to read)
 * @param version the version serving now
 * @param previousVersion the version serving before; equals {@code version} unless applied
 * @param attemptedVersion the version of the text that was read, or null when none was
 * @param errors why the config was rejected, each located; empty otherwise
 */
public record ReloadResult(Status status, String version, String previousVersion, String attemptedVersion,
    List<ConfigError> errors) {

  /** The outcome of a reload. */
  public enum Status {
    /** The new config is serving. */
    APPLIED,
    /** The file has the version already serving; nothing was done. */
    UNCHANGED,
    /** The new config has errors; the previous one keeps serving. */
    REJECTED,
    /** The gateway was started without a config file, so there is nothing to reload. */
    UNAVAILABLE
  }
}
