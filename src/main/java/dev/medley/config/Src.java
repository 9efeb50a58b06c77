package dev.medley.config;

/**
 * Where something was written in a config file: 1-based line and column. Every spec value that can
 * fail later (templates, expressions, references) carries one so plan errors point at the source.
 */
public record Src(String file, int line, int column) {
  /** A location for values that did not come from a file (defaults, programmatic specs). */
  public static final Src NONE = new Src("<default>", 0, 0);

  /** Shifts the column by {@code offset} characters, for errors inside a scalar on one line. */
  public Src plusColumns(int offset) {
    return this == NONE ? this : new Src(file, line, column + offset);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
