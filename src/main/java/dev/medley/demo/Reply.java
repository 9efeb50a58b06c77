package dev.medley.demo;

import io.vertx.core.json.JsonObject;

/** A demo answer before it is written: status, content type and JSON body. */
record Reply(int status, String contentType, JsonObject body) {
  private static final String JSON = "application/json";

  static Reply ok(JsonObject body) {
    return new Reply(200, JSON, body);
  }

  static Reply notFound() {
    return new Reply(404, JSON, new JsonObject().put("error", "not found"));
  }

  static Reply badRequest(String message) {
    return new Reply(400, JSON, new JsonObject().put("error", message));
  }

  /** What {@link FaultMode#ERROR} answers, whatever was asked. */
  static Reply injectedFailure() {
    return new Reply(
        500, "application/problem+json", new JsonObject().put("error", "injected failure"));
  }
}
