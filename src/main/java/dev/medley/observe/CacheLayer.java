package dev.medley.observe;

/** Which cache answered; its {@link #label()} is the {@code cache} metric label. */
public enum CacheLayer {
  /** Whole responses of a route, before the plan runs. */
  RESPONSE("response"),
  /** One step's upstream call. */
  STEP("step");

  private final String label;

  CacheLayer(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
