package dev.medley.observe;

/**
 * Circuit breaker states; {@link #label()} is the {@code state}, {@code from} and {@code to} label.
 */
public enum BreakerState {
  /** Calls flow. */
  CLOSED("closed"),
  /** Calls are refused without being sent. */
  OPEN("open"),
  /** A few trial calls decide whether to close again. */
  HALF_OPEN("half_open");

  private final String label;

  BreakerState(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
