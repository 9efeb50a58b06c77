package dev.medley.config;

/**
 * One problem found in a config: the key path (e.g. {@code experiences.web.routes.GET /p.steps.a}),
 * what is wrong, and where.
 */
public record ConfigError(Src at, String path, String message) {
  /** Formats as {@code file:line:col: path: message}, the form `medley validate` prints. */
  public String format() {
    // A file that cannot be read has no line to point at: name the file alone.
    return (at.line() > 0 ? at.toString() : at.file())
        + ": "
        + (path.isEmpty() ? "" : path + ": ")
        + message;
  }

  @Override
  public String toString() {
    return format();
  }
}
