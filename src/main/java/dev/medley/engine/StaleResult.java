package dev.medley.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A step's call failed but a stale cached value may stand in (stale-if-error): the step answers
 * with {@link #value()} and is reported degraded, so the response is marked partial.
 */
public final class StaleResult extends RuntimeException {
  private final transient JsonNode value;

  public StaleResult(JsonNode value, String message) {
    super(message, null, false, false);
    this.value = value;
  }

  public JsonNode value() {
    return value;
  }
}
