package dev.medley.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the call-pattern keys: an upstream's {@code hedge:}, a step's {@code shadow:} and a route's
 * {@code static:}. Kept apart from {@link ConfigLoader} so each concern reads on its own.
 */
final class CallsReader {
  /** Methods that may be hedged: sending them twice is harmless by HTTP's definition. */
  static final List<String> HEDGEABLE = List.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");

  /** Members every problem+json answer has; static data on failures must not overwrite them. */
  static final Set<String> PROBLEM_MEMBERS =
      Set.of("type", "title", "status", "detail", "instance", "requestId", "step");

  private CallsReader() {}

  /** An upstream's {@code hedge:}, or null when it has none (the default: no hedging). */
  static HedgeSpec hedge(YNode.Fields upstream) {
    if (!upstream.has("hedge")) {
      return null;
    }
    YNode n = upstream.node("hedge");
    if (n.isScalar() && "off".equals(n.scalar())) {
      return null;
    }
    YNode.Fields f = n.fields("after", "max", "methods");
    f.required("after");
    Duration after = f.positiveDuration("after", Duration.ofMillis(50));
    List<String> methods = List.of("GET", "HEAD");
    if (f.has("methods")) {
      List<String> read = new ArrayList<>();
      for (YNode item : f.node("methods").items()) {
        String m = item.scalar();
        if (m == null) {
          continue;
        }
        if (!HEDGEABLE.contains(m)) {
          item.error(
              "'"
                  + m
                  + "' is never hedged: a second "
                  + m
                  + " could apply twice (expected idempotent methods: "
                  + String.join(", ", HEDGEABLE)
                  + ")");
        } else {
          read.add(m);
        }
      }
      methods = List.copyOf(read);
    }
    return new HedgeSpec(after, f.integer("max", 1, 1, 3), methods);
  }

  /** A step's {@code shadow:}: {@code true}, or a mapping with {@code share} and more; or null. */
  static ShadowSpec shadow(YNode.Fields step) {
    if (!step.has("shadow")) {
      return null;
    }
    YNode n = step.node("shadow");
    if (n.isScalar()) {
      String s = n.scalar();
      if ("true".equals(s)) {
        return new ShadowSpec(1.0, 64);
      }
      if (!"false".equals(s)) {
        n.error("'" + s + "' (expected true, false or a mapping with share and maxInFlight)");
      }
      return null;
    }
    YNode.Fields f = n.fields("share", "maxInFlight");
    return new ShadowSpec(
        UpstreamReader.percent(f, "share", 1.0), f.integer("maxInFlight", 64, 1, 10_000));
  }

  /** A route's {@code static:}, or null. */
  static StaticSpec statics(YNode.Fields route) {
    if (!route.has("static")) {
      return null;
    }
    YNode n = route.node("static");
    YNode.Fields f = n.fields("data", "on");
    YNode dn = f.required("data");
    ObjectNode data = null;
    if (dn != null) {
      JsonNode d = ConfigLoader.toJson(ConfigLoader.value(dn));
      if (d instanceof ObjectNode o) {
        data = o;
      } else {
        dn.error(
            "is not a mapping (expected members to merge into the answer, e.g. {notice: ...})");
      }
    }
    Set<String> on = Set.of(StaticSpec.COMPLETE, StaticSpec.PARTIAL, StaticSpec.FAILED);
    if (f.has("on")) {
      YNode on1 = f.node("on");
      List<YNode> items = on1.isList() ? on1.items() : List.of(on1);
      Set<String> read = new LinkedHashSet<>();
      for (YNode item : items) {
        String s = item.scalar();
        if ("always".equals(s)) {
          read.addAll(on);
        } else if (on.contains(s)) {
          read.add(s);
        } else {
          item.error("'" + s + "' (expected always, or any of: complete, partial, failed)");
        }
      }
      on = Set.copyOf(read);
    }
    if (data != null && on.contains(StaticSpec.FAILED)) {
      for (String k : PROBLEM_MEMBERS) {
        if (data.has(k)) {
          dn.problems()
              .add(
                  dn.keyAt(k),
                  dn.child(k),
                  "'"
                      + k
                      + "' would overwrite a problem+json member on failed answers (rename it, or"
                      + " leave failed out of static.on)");
        }
      }
    }
    return data == null ? null : new StaticSpec(data, on, n.at());
  }
}
