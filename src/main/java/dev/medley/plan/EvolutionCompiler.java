package dev.medley.plan;

import dev.medley.config.CanarySpec;
import dev.medley.config.DeprecationSpec;
import dev.medley.config.ExperienceSpec;
import dev.medley.config.Problems;
import dev.medley.config.RouteSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles how a route evolves: its API version (from its path), its deprecation headers, and its
 * canary, whose target is resolved once every route of the experience is compiled.
 */
final class EvolutionCompiler {
  private static final Pattern VERSION = Pattern.compile("v\\d+");
  private static final Pattern VARIABLE = Pattern.compile("\\{([^}]*)}");

  private EvolutionCompiler() {}

  /**
   * The API version of a path template: its first segment of the form {@code v<digits>}, or null.
   * {@code /web/v2/products/{id}} is {@code v2}. Metrics and logs label traffic with it.
   */
  static String version(String template) {
    for (String seg : template.split("/")) {
      if (VERSION.matcher(seg).matches()) {
        return seg;
      }
    }
    return null;
  }

  /** Compiles {@code deprecated:}; reports successor variables that are not path parameters. */
  static Deprecation deprecation(
      DeprecationSpec spec, String[] rawSegments, String keyPath, Problems problems) {
    if (spec == null) {
      return null;
    }
    if (spec.successor() == null) {
      return new Deprecation(spec.since(), spec.sunset(), null, null, null);
    }
    String text = spec.successor().value();
    List<String> literals = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    Matcher m = VARIABLE.matcher(text);
    int last = 0;
    boolean ok = true;
    while (m.find()) {
      int pos = Arrays.asList(rawSegments).indexOf("{" + m.group(1) + "}");
      if (pos < 0) {
        problems.add(
            spec.successor().at().plusColumns(m.start()),
            keyPath + ".deprecated.successor",
            "'{"
                + m.group(1)
                + "}' is not a path parameter of this route (expected one of: "
                + String.join(", ", params(rawSegments))
                + ")");
        ok = false;
      }
      literals.add(text.substring(last, m.start()));
      positions.add(pos);
      last = m.end();
    }
    literals.add(text.substring(last));
    if (!ok) {
      return null;
    }
    return new Deprecation(
        spec.since(),
        spec.sunset(),
        text,
        literals.toArray(String[]::new),
        positions.stream().mapToInt(Integer::intValue).toArray());
  }

  private static Set<String> params(String[] rawSegments) {
    Set<String> out = new TreeSet<>();
    for (String s : rawSegments) {
      if (s.startsWith("{")) {
        out.add(s.substring(1, s.length() - 1));
      }
    }
    return out;
  }

  /** A compiled route with the spec and experience it came from, for the canary pass. */
  record Compiled(ExperienceSpec experience, RouteSpec spec, RoutePlan plan) {}

  /**
   * Resolves every {@code canary:} against the compiled routes of its experience and returns the
   * routes with their canaries set. Unknown targets, a different method or different path parameter
   * names, the route itself, and chains of canaries are located errors.
   */
  static List<RoutePlan> resolveCanaries(
      List<Compiled> routes, Map<String, String> keyPaths, Problems problems) {
    List<RoutePlan> out = new ArrayList<>(routes.size());
    for (Compiled c : routes) {
      CanarySpec cs = c.spec().canary();
      RoutePlan plan = c.plan();
      if (cs != null) {
        Canary canary = resolve(c, cs, routes, keyPaths.get(plan.id()) + ".canary", problems);
        if (canary != null) {
          plan = plan.withCanary(canary);
        }
      }
      out.add(plan);
    }
    return out;
  }

  private static Canary resolve(
      Compiled from, CanarySpec cs, List<Compiled> routes, String keyPath, Problems problems) {
    ExperienceSpec exp = from.experience();
    RouteSpec targetSpec =
        exp.routes().stream().filter(r -> r.key().equals(cs.to())).findFirst().orElse(null);
    if (targetSpec == null) {
      problems.add(
          cs.at(),
          keyPath + ".to",
          "unknown route '"
              + cs.to()
              + "' (expected a route of experience '"
              + exp.name()
              + "': "
              + String.join(", ", exp.routes().stream().map(RouteSpec::key).toList())
              + ")");
      return null;
    }
    if (targetSpec == from.spec()) {
      problems.add(
          cs.at(),
          keyPath + ".to",
          "'" + cs.to() + "' is this route itself (expected another route)");
      return null;
    }
    if (!targetSpec.method().equals(from.spec().method())) {
      problems.add(
          cs.at(),
          keyPath + ".to",
          "'"
              + cs.to()
              + "' is a "
              + targetSpec.method()
              + " route (expected "
              + from.spec().method()
              + ", the method of this route)");
      return null;
    }
    if (!targetSpec.params().keySet().equals(from.spec().params().keySet())) {
      problems.add(
          cs.at(),
          keyPath + ".to",
          "'"
              + cs.to()
              + "' has path parameters "
              + new TreeSet<>(targetSpec.params().keySet())
              + " (expected the same as this route: "
              + new TreeSet<>(from.spec().params().keySet())
              + ")");
      return null;
    }
    if (targetSpec.canary() != null) {
      problems.add(
          cs.at(),
          keyPath + ".to",
          "'"
              + cs.to()
              + "' has a canary of its own (expected a route without one: canaries do not chain)");
      return null;
    }
    RoutePlan target =
        routes.stream()
            .filter(r -> r.spec() == targetSpec)
            .map(Compiled::plan)
            .findFirst()
            .orElse(null);
    if (target == null) {
      return null; // the target did not compile; its own errors are reported
    }
    return new Canary(
        target,
        cs.weightBasisPoints(),
        Canary.Sticky.parse(cs.sticky()),
        valueMap(from.plan(), target));
  }

  private static int[] valueMap(RoutePlan from, RoutePlan target) {
    int[] map = new int[target.segments().length];
    for (int i = 0; i < map.length; i++) {
      map[i] = -1;
      if (target.segments()[i] == null) {
        String name = target.params()[i].name();
        for (int j = 0; j < from.params().length; j++) {
          if (from.params()[j] != null && from.params()[j].name().equals(name)) {
            map[i] = j;
          }
        }
      }
    }
    return map;
  }
}
