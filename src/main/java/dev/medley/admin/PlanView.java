package dev.medley.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.config.ServerSpec;
import dev.medley.config.UpstreamSpec;
import dev.medley.plan.Deprecation;
import dev.medley.plan.Plan;
import dev.medley.plan.RoutePlan;
import dev.medley.plan.StepPlan;
import java.time.Duration;
import java.util.List;

/**
 * The active plan as {@code GET /admin/config} shows it: version, routes with their steps and
 * dependencies, upstreams, and plans still draining. Never a secret: upstream header values, the
 * admin token and any user-info in an upstream URL are replaced by {@value #REDACTED}, and step
 * header templates are listed by name only.
 */
public final class PlanView {
  /** What stands in for a secret. */
  public static final String REDACTED = "<redacted>";

  private PlanView() {}

  /** A plan retired by a reload that still has requests running. */
  public record Draining(String version, int inFlight) {}

  public static ObjectNode render(Plan plan, String source, List<Draining> draining) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("version", plan.version());
    o.put("source", source);
    o.set("server", server(plan.spec().server()));
    ArrayNode d = o.putArray("draining");
    draining.forEach(x -> d.addObject().put("version", x.version()).put("inFlight", x.inFlight()));
    ArrayNode ups = o.putArray("upstreams");
    plan.spec().upstreams().values().stream()
        .sorted(java.util.Comparator.comparing(UpstreamSpec::name))
        .forEach(u -> ups.add(upstream(u)));
    ArrayNode routes = o.putArray("routes");
    plan.routes().forEach(r -> routes.add(route(r)));
    return o;
  }

  private static ObjectNode server(ServerSpec s) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("host", s.host()).put("port", s.port());
    o.putObject("admin")
        .put("host", s.admin().host())
        .put("port", s.admin().port())
        .put("token", s.admin().token() == null ? "none" : REDACTED);
    o.put("shutdownGrace", duration(s.shutdownGrace()))
        .put("watchInterval", duration(s.watchInterval()));
    return o;
  }

  private static ObjectNode upstream(UpstreamSpec u) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("name", u.name());
    o.put("url", u.url().replaceFirst("^(https?://)[^/@]*@", "$1" + REDACTED + "@"));
    o.put("timeout", duration(u.timeout()));
    o.put("maxConnections", u.maxConnections());
    ObjectNode h = o.putObject("headers");
    u.headers().keySet().stream().sorted().forEach(k -> h.put(k, REDACTED));
    if (u.health() != null) {
      o.putObject("health")
          .put("path", u.health().path())
          .put("interval", duration(u.health().interval()));
    }
    return o;
  }

  private static ObjectNode route(RoutePlan r) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("id", r.id());
    o.put("experience", r.experience());
    o.put("method", r.method());
    o.put("path", r.template());
    o.put("version", r.version());
    o.put("deadline", duration(r.deadline()));
    Deprecation d = r.deprecation();
    if (d != null) {
      ObjectNode dn = o.putObject("deprecated").put("since", d.since().toString());
      dn.put("sunset", d.sunset() == null ? null : d.sunset().toString());
      dn.put("successor", d.successor());
    }
    if (r.canary() != null) {
      o.putObject("canary")
          .put("to", r.canary().label())
          .put(
              "weight",
              java.math.BigDecimal.valueOf(r.canary().basisPoints(), 2)
                      .stripTrailingZeros()
                      .toPlainString()
                  + "%")
          .put("sticky", r.canary().sticky() == null ? "random" : r.canary().sticky().toString());
    }
    ArrayNode steps = o.putArray("steps");
    for (StepPlan s : r.steps()) {
      ObjectNode sn = steps.addObject();
      sn.put("name", s.name())
          .put("upstream", s.upstream())
          .put("method", s.method())
          .put("optional", s.optional());
      ArrayNode deps = sn.putArray("dependsOn");
      for (int i : s.deps()) {
        deps.add(r.steps()[i].name());
      }
    }
    return o;
  }

  /** {@code 250ms}, {@code 2s}: the config's own notation. */
  static String duration(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
