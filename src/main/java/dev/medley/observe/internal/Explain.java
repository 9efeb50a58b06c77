package dev.medley.observe.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Reply;
import dev.medley.edge.StateSource;
import dev.medley.engine.StepTrace;
import dev.medley.json.Json;
import dev.medley.observe.TelemetryNames;
import dev.medley.plan.RoutePlan;
import dev.medley.plan.StepPlan;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.function.Supplier;

/**
 * Explain mode: a request with {@code X-Medley-Explain: 1} and the admin token in {@code
 * X-Medley-Admin-Token} is answered with the executed plan beside the body, so a person can read
 * the waterfall: each step's dependencies, start and end offsets, calls, attempts, cache result and
 * outcome. The status stays the route's own. Without a valid token the header is ignored.
 *
 * <p>The token is asked for per explained request, not captured at start: the gateway's token is
 * the one generated at start when the config sets none (the default), and a reload may rotate it.
 */
final class Explain {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private final Supplier<String> token;

  /** {@code adminToken} (or what it supplies) null disables explain mode. */
  Explain(Supplier<String> adminToken) {
    this.token = adminToken == null ? () -> null : adminToken;
  }

  boolean requested(EdgeRequest req) {
    if (!"1".equals(req.headers().get(TelemetryNames.H_EXPLAIN))) {
      return false;
    }
    String expected = token.get();
    if (expected == null) {
      return false;
    }
    String given = req.headers().get(TelemetryNames.H_ADMIN_TOKEN);
    if (given == null) {
      return false;
    }
    if (given.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = given.substring(7);
    }
    return MessageDigest.isEqual(
        given.trim().getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code reply} wrapped as {@code {status, body, explain}}. */
  Reply wrap(Reply reply, EdgeRequest req, String traceId, RouteMeters rm, long durationNanos) {
    ObjectNode plan = JSON.objectNode();
    plan.put("requestId", req.requestId());
    plan.put("traceId", traceId);
    plan.put("planVersion", req.generation() == null ? null : req.generation().plan().version());
    plan.put("experience", rm.experience);
    plan.put("route", rm.template == null ? TelemetryNames.UNMATCHED : rm.template);
    plan.put("method", req.method());
    plan.put("version", rm.version);
    RoutePlan route = req.route();
    if (route != null) {
      plan.put("deadlineMs", route.deadline().toMillis());
    }
    plan.put("durationMs", ms(durationNanos));
    String limits = req.attr(StateSource.RATE_LIMITS);
    String cache = req.attr(StateSource.CACHE);
    if (limits != null || cache != null) {
      ObjectNode state = plan.putObject(TelemetryNames.F_STATE);
      state.put(TelemetryNames.F_STATE_RATE_LIMITS, limits);
      state.put(TelemetryNames.F_STATE_CACHE, cache);
    }
    ArrayNode partial = plan.putArray("partial");
    ArrayNode steps = plan.putArray("steps");
    for (StepTrace s : req.trace()) {
      if (TelemetryNames.STEP_DEGRADED.equals(s.outcome())) {
        partial.add(s.step());
      }
      steps.add(step(s, route == null ? null : route.step(s.step()), route));
    }
    java.util.List<dev.medley.plan.Scope.FieldFailure> fields =
        req.attr(dev.medley.edge.RouteHandler.FIELD_FAILURES);
    if (fields != null && !fields.isEmpty()) {
      // Response fields whose expression failed (null in the body): where each is written.
      ArrayNode failed = plan.putArray("failedFields");
      for (dev.medley.plan.Scope.FieldFailure f : fields) {
        failed.addObject().put("field", "response." + f.field()).put("where", f.where());
      }
    }
    ObjectNode out = JSON.objectNode();
    out.put("status", reply.status());
    out.set("body", body(reply));
    out.set("explain", plan);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(reply.headers());
    headers.set("content-type", "application/json");
    headers.set("cache-control", "no-store");
    headers.set(TelemetryNames.H_EXPLAIN, "1");
    return new Reply(reply.status(), headers, Buffer.buffer(Json.bytes(out)));
  }

  private static ObjectNode step(StepTrace s, StepPlan p, RoutePlan route) {
    ObjectNode o = JSON.objectNode();
    o.put("step", s.step());
    if (p != null) {
      o.put("upstream", p.upstream());
      o.put("optional", p.optional());
      ArrayNode deps = o.putArray("dependsOn");
      for (int d : p.deps()) {
        deps.add(route.steps()[d].name());
      }
    }
    o.put("outcome", s.outcome());
    o.put("reason", s.reason());
    if (s.where() != null) {
      o.put("where", s.where()); // the expression that failed the step, file:line:column (key path)
    }
    if (s.startNanos() >= 0) {
      o.put("startMs", ms(s.startNanos()));
    } else {
      o.putNull("startMs");
    }
    if (s.endNanos() >= 0) {
      o.put("endMs", ms(s.endNanos()));
    } else {
      o.putNull("endMs");
    }
    o.put("calls", s.calls());
    o.put("attempts", s.attempts());
    o.put("cache", s.cache());
    return o;
  }

  private static double ms(long nanos) {
    return nanos / 1_000L / 1_000.0;
  }

  private static JsonNode body(Reply reply) {
    Buffer b = reply.body();
    if (b == null || b.length() == 0) {
      return JSON.nullNode();
    }
    String type = reply.headers().get("content-type");
    if (type != null && type.contains("json")) {
      try {
        return Json.parse(b.getBytes());
      } catch (IOException e) {
        // Not the JSON it claims to be: show it as text.
      }
    }
    return JSON.textNode(b.toString(StandardCharsets.UTF_8));
  }
}
