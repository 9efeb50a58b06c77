package dev.medley.plan;

/**
 * A template could not be filled for this request: a value is missing, or would be unsafe (a
 * dot-segment in a path, CR/LF in a header). The message names the template variable, never data.
 */
public final class TemplateException extends RuntimeException {
  private final boolean clientFault;

  public TemplateException(String message, boolean clientFault) {
    super(message, null, false, false);
    this.clientFault = clientFault;
  }

  /** True when the request's own input caused it (answer 400), false when upstream data did. */
  public boolean clientFault() {
    return clientFault;
  }
}
