package dev.medley.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.edge.EdgeRequest;
import dev.medley.plan.CachePlan;
import dev.medley.plan.RoutePlan;
import dev.medley.plan.StepCall;
import dev.medley.plan.StepPlan;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cache keys. A key holds every input the cached bytes can depend on and nothing else: for a
 * response, the plan version, the route, its path parameters, its declared query parameters, its
 * allow-listed headers and the user part; for a step, the rendered upstream call and the user part.
 * Anything else in a request (other headers, other query parameters) is invisible to templates and
 * expressions, so it can neither change a cached body nor split the cache.
 *
 * <p>The user part is the verified subject, unless the rule is {@code shared}, in which case it is
 * the values of its {@code varyClaims}. Every part is length-prefixed, so no value can be crafted
 * to make two different requests produce the same key.
 */
final class CacheKeys {
  private CacheKeys() {}

  static String response(EdgeRequest req, RoutePlan route, CachePlan rule, String planVersion) {
    Key k = new Key("r").add(planVersion).add(route.id());
    String[] values = req.pathValues();
    for (int i = 0; i < route.segments().length; i++) {
      if (route.segments()[i] == null) {
        k.add(values[i]);
      }
    }
    List<String> names = new ArrayList<>(route.query().keySet());
    names.sort(null);
    for (String q : names) {
      if (route.query().get(q).repeated()) {
        // Every value, in order, behind their count: ?b=1&b=2 and ?b=2&b=1 are other answers.
        List<String> all = req.query().getAll(q);
        k.add(q).add(Integer.toString(all.size()));
        all.forEach(k::add);
      } else {
        k.add(q).add(req.query().get(q));
      }
    }
    for (String h : route.headers()) {
      k.add(h).add(req.headers().get(h));
    }
    return k.add(user(req.claims(), rule)).toString();
  }

  /** The tag every response entry carries so an operator can drop it by {@code METHOD /path}. */
  static String responseKeyTag(EdgeRequest req) {
    return "key:" + req.route().method() + " /" + String.join("/", req.pathValues());
  }

  static String step(StepPlan step, StepCall call, JsonNode claims, CachePlan rule) {
    Key k = new Key("s").add(step.upstream()).add(call.method()).add(call.pathAndQuery());
    for (Map.Entry<String, String> h : call.headers()) {
      k.add(h.getKey()).add(h.getValue());
    }
    k.add(call.body() == null ? null : new String(call.body(), StandardCharsets.UTF_8));
    return k.add(user(claims, rule)).toString();
  }

  /** The tag every step entry carries: {@code key:UPSTREAM METHOD /path?query}. */
  static String stepKeyTag(StepPlan step, StepCall call) {
    return "key:" + step.upstream() + " " + call.method() + " " + call.pathAndQuery();
  }

  /** True when an entry for these claims belongs to one user only. */
  static boolean perUser(JsonNode claims, CachePlan rule) {
    return !rule.shared() && !anonymous(claims);
  }

  private static String user(JsonNode claims, CachePlan rule) {
    if (rule.shared()) {
      Key k = new Key("shared");
      for (String c : rule.varyClaims()) {
        JsonNode v = claims == null ? null : claims.get(c);
        k.add(v == null || v.isNull() ? null : v.toString());
      }
      return k.toString();
    }
    if (anonymous(claims)) {
      return "anonymous";
    }
    JsonNode sub = claims.get("sub");
    // Without a subject the claims themselves identify the user: never fall back to sharing.
    return sub != null && sub.isValueNode() ? "sub:" + sub.asText() : "claims:" + claims;
  }

  private static boolean anonymous(JsonNode claims) {
    return claims == null || claims.isNull() || (claims.isObject() && claims.isEmpty());
  }

  /** A key built from length-prefixed parts; a missing value is written as {@code -}. */
  private static final class Key {
    private final StringBuilder sb;

    Key(String kind) {
      sb = new StringBuilder(128).append(kind);
    }

    Key add(String part) {
      if (part == null) {
        sb.append("|-");
      } else {
        sb.append('|').append(part.length()).append(':').append(part);
      }
      return this;
    }

    @Override
    public String toString() {
      return sb.toString();
    }
  }
}
