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
 * @param errors why the config (or, when applied, the held-back files) was rejected, each located;
 *     empty otherwise
 * @param heldBack the files of a folder config whose new version was invalid, so their last good
 *     version (or, for a new file, nothing) serves instead while the other files' changes apply;
 *     empty for a single file or a clean reload
 */
public record ReloadResult(
    Status status,
    String version,
    String previousVersion,
    String attemptedVersion,
    List<ConfigError> errors,
    List<String> heldBack) {

  public ReloadResult(
      Status status,
      String version,
      String previousVersion,
      String attemptedVersion,
      List<ConfigError> errors) {
    this(status, version, previousVersion, attemptedVersion, errors, List.of());
  }

  /** True when some files kept their last good version. */
  public boolean partial() {
    return !heldBack.isEmpty();
  }

  /** The outcome of a reload. */
  public enum Status {
    /**
     * The new config is serving (see {@link #heldBack} for files that kept their last good
     * version).
     */
    APPLIED,
    /** The files have the version already serving; nothing was done. */
    UNCHANGED,
    /** The new config has errors; the previous one keeps serving. */
    REJECTED,
    /** The gateway was started without a config file, so there is nothing to reload. */
    UNAVAILABLE
  }
}
