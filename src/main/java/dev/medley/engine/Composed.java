package dev.medley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A composed answer: the shaped body and the steps that fell back to their defaults (empty when
 * every step succeeded).
 */
public record Composed(JsonNode body, List<String> degraded, List<StepTrace> trace) {
  public boolean partial() {
    return !degraded.isEmpty();
  }
}
