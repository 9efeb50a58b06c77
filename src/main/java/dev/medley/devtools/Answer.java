package dev.medley.devtools;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;

/**
 * A declared upstream answer, as composition tests and the mock give them: a status, headers and a
 * JSON body after a delay, or a failure instead.
 *
 * @param status the HTTP status
 * @param headers response headers
 * @param body the JSON body, or null for none
 * @param delay how long the upstream takes (on the gateway's clock); an attempt whose timeout or
 *     deadline comes first times out, as with a real upstream
 * @param failure {@code reset} (the connection breaks) or {@code connect} (refused), or null
 */
record Answer(
    int status, Map<String, String> headers, JsonNode body, Duration delay, String failure) {
  /** The failures an answer may inject. */
  static final java.util.List<String> FAILURES = java.util.List.of("reset", "connect");

  static Answer ok(JsonNode body) {
    return new Answer(200, Map.of(), body, Duration.ZERO, null);
  }

  Answer withDelay(Duration d) {
    return new Answer(status, headers, body, d, failure);
  }

  Answer withFailure(String f) {
    return new Answer(status, headers, body, delay, f);
  }
}
