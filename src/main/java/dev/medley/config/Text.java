package dev.medley.config;

/**
 * A string from the config with its source location. Used for every template and expression so that
 * a compile error can name file:line:column.
 */
public record Text(String value, Src at) {
  @Override
  public String toString() {
    return value;
  }
}
