package dev.medley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.UnaryOperator;

/**
 * What one call, or a whole step, gave: its value, and whether a stale cached value stood in for a
 * call that failed (stale-if-error). A stale step is reported degraded (reason {@code STALE}), so
 * the answer is marked partial; a value is never passed around as an exception.
 *
 * @param value the parsed (and selected) result
 * @param stale true when any part of it came from a stale cache entry rather than the upstream
 */
public record StepValue(JsonNode value, boolean stale) {
  /** A value the upstream (or a fresh cache entry) gave. */
  public static StepValue of(JsonNode value) {
    return new StepValue(value, false);
  }

  /** A stale cached value standing in for a failed call. */
  public static StepValue staleOf(JsonNode value) {
    return new StepValue(value, true);
  }

  /** The same staleness over another value (after {@code select:}, or a forEach's list). */
  public StepValue map(UnaryOperator<JsonNode> f) {
    return new StepValue(f.apply(value), stale);
  }
}
