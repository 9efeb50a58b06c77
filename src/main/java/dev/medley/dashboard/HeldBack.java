package dev.medley.dashboard;

import dev.medley.config.ConfigError;
import java.util.List;

/**
 * The files of a folder config that serve their last good version because their new version is
 * invalid, with the located errors that held them back; both empty when every file serves as
 * written.
 */
public record HeldBack(List<String> files, List<ConfigError> errors) {
  /** Nothing held back. */
  public static final HeldBack NONE = new HeldBack(List.of(), List.of());
}
