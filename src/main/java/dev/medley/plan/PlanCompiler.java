package dev.medley.plan;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.medley.config.BatchSpec;
import dev.medley.config.BodyUse;
import dev.medley.config.ConfigError;
import dev.medley.config.ExperienceSpec;
import dev.medley.config.MedleySpec;
import dev.medley.config.ParamSpec;
import dev.medley.config.Problems;
import dev.medley.config.ProxySpec;
import dev.medley.config.RequestBodySpec;
import dev.medley.config.RouteSpec;
import dev.medley.config.Src;
import dev.medley.config.StepSpec;
import dev.medley.config.Text;
import dev.medley.config.ValueSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a {@link MedleySpec} into a {@link Plan}: checks every cross-reference (upstreams,
 * template and expression names, dependency cycles, duplicate routes), parses every template and
 * compiles every expression, reporting all problems in one pass.
 */
public final class PlanCompiler {
  private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

  private PlanCompiler() {}

  /** A plan, or the errors that prevent one. */
  public record Result(Plan plan, List<ConfigError> errors) {
    public boolean ok() {
      return errors.isEmpty();
    }
  }

  public static Result compile(MedleySpec spec, String version) {
    Problems problems = new Problems();
    List<EvolutionCompiler.Compiled> compiled = new ArrayList<>();
    Map<String, String> keyPaths = new HashMap<>();
    Map<String, Src> seen = new HashMap<>();
    for (ExperienceSpec exp : spec.experiences().values()) {
      for (RouteSpec route : exp.routes()) {
        String keyPath = "experiences." + exp.name() + ".routes[\"" + route.key() + "\"]";
        RoutePlan r = compileRoute(spec, exp, route, keyPath, problems, compiled.size());
        if (r == null) {
          continue;
        }
        String shape =
            r.method()
                + " "
                + String.join(
                    "/", Arrays.stream(r.segments()).map(s -> s == null ? "{}" : s).toList());
        Src first = seen.putIfAbsent(shape, route.at());
        if (first != null) {
          problems.add(
              route.at(),
              keyPath,
              "duplicate route "
                  + r.method()
                  + " "
                  + r.template()
                  + " (already declared at "
                  + first
                  + ")");
        } else {
          compiled.add(new EvolutionCompiler.Compiled(exp, route, r));
          keyPaths.put(r.id(), keyPath);
        }
      }
    }
    List<RoutePlan> routes = EvolutionCompiler.resolveCanaries(compiled, keyPaths, problems);
    if (!problems.isEmpty()) {
      return new Result(null, problems.errors());
    }
    return new Result(new Plan(spec, List.copyOf(routes), new Router(routes), version), List.of());
  }

  private static RoutePlan compileRoute(
      MedleySpec spec,
      ExperienceSpec exp,
      RouteSpec route,
      String keyPath,
      Problems problems,
      int index) {
    String full = exp.basePath() + route.path();
    String[] raw = full.substring(1).split("/", -1);
    String[] segments = new String[raw.length];
    ParamRule[] params = new ParamRule[raw.length];
    for (int i = 0; i < raw.length; i++) {
      if (raw[i].startsWith("{") && raw[i].endsWith("}")) {
        String name = raw[i].substring(1, raw[i].length() - 1);
        ParamSpec ps = route.params().get(name);
        params[i] = ps == null ? null : ParamRule.of(ps);
      } else {
        segments[i] = raw[i];
      }
    }
    Map<String, ParamRule> query = new LinkedHashMap<>();
    route
        .query()
        .forEach(
            (k, v) -> {
              ParamRule rule = ParamRule.of(v);
              // Expressions read the default as the declared type, so it must be one (not a 500
              // later).
              String why = v.defaultValue() == null ? null : rule.check(v.defaultValue());
              if (why != null) {
                problems.add(
                    v.at(),
                    keyPath + ".query." + k + ".default",
                    "default '" + v.defaultValue() + "' " + why);
              }
              query.put(k, rule);
            });
    Map<String, Integer> stepIndex = new LinkedHashMap<>();
    List<StepSpec> stepSpecs =
        route.proxy() == null
            ? new ArrayList<>(route.steps().values())
            : List.of(proxyStep(route.proxy(), route.method()));
    for (int i = 0; i < stepSpecs.size(); i++) {
      StepSpec s = stepSpecs.get(i);
      // A reserved name is reported once, by the loader; here only what the loader cannot see.
      if (!Binder.RESERVED.contains(s.name()) && route.params().containsKey(s.name())) {
        problems.add(
            s.at(),
            keyPath + ".steps." + s.name(),
            "step name '"
                + s.name()
                + "' shadows the path parameter {"
                + s.name()
                + "} (choose another name)");
      }
      stepIndex.put(s.name(), i);
    }
    StepPlan[] steps = new StepPlan[stepSpecs.size()];
    int[][] deps = new int[stepSpecs.size()][];
    boolean ok = true;
    for (int i = 0; i < stepSpecs.size(); i++) {
      StepSpec s = stepSpecs.get(i);
      Binder b =
          new Binder(
              route.params(),
              route.query(),
              route.headers(),
              stepIndex,
              problems,
              keyPath + ".steps." + s.name(),
              i,
              null,
              false,
              false);
      steps[i] = compileStep(spec, s, i, b);
      // Known even when the step has other errors, so cycles are reported in the same pass.
      deps[i] = b.deps().stream().mapToInt(Integer::intValue).toArray();
      ok &= steps[i] != null;
    }
    int[] order = order(deps, stepSpecs, keyPath, problems);
    Binder rb =
        new Binder(
            route.params(),
            route.query(),
            route.headers(),
            stepIndex,
            problems,
            keyPath + ".response",
            -1,
            null,
            false,
            false);
    Shape response =
        route.proxy() != null
            ? Shape.compile(new ValueSpec.Literal(NullNode.getInstance(), Src.NONE), rb)
            : route.response() == null
                ? defaultShape(stepSpecs, rb)
                : Shape.compile(route.response(), rb);
    CallPatterns.checkShadows(stepSpecs, deps, rb.deps(), route, keyPath, problems);
    CallPatterns.checkStatic(route, response, keyPath, problems);
    Deprecation deprecation =
        EvolutionCompiler.deprecation(route.deprecated(), raw, keyPath, problems);
    CachePlan cache =
        route.cache() == null
            ? null
            : CachePlan.compile(route.cache(), rb.at(keyPath + ".cache.tags", null, false, false));
    Passing passing = Passing.compile(spec, exp, route, stepSpecs, keyPath, problems);
    if (!ok
        || response == null
        || order == null
        || (route.deprecated() != null && deprecation == null)
        || (route.cache() != null && cache == null)) {
      return null;
    }
    String id = exp.name() + " " + route.method() + " " + full;
    return new RoutePlan(
        id,
        exp.name(),
        route.method(),
        full,
        segments,
        params,
        Map.copyOf(query),
        route.headers(),
        route.deadline(),
        steps,
        order,
        response,
        EvolutionCompiler.version(full),
        deprecation,
        null,
        cache,
        route.cacheControl(),
        AccessCompiler.compile(spec, exp, route, id),
        route.statics(),
        passing,
        ErrorPolicy.compile(route, stepSpecs),
        bodies(route, stepSpecs),
        index);
  }

  /**
   * A pass-through route's one step: the proxy's call, forwarding the client's body when both the
   * route and the call carry one, its answer handed back unread.
   */
  private static StepSpec proxyStep(ProxySpec p, String routeMethod) {
    boolean forward = BODY_METHODS.contains(routeMethod) && BODY_METHODS.contains(p.method());
    return new StepSpec(
        BodyPlan.PROXY_STEP,
        p.upstream(),
        p.method(),
        p.path(),
        p.query(),
        false,
        p.headers(),
        null,
        null,
        null,
        "item",
        1,
        null,
        null,
        null,
        false,
        null,
        p.timeout(),
        null,
        null, // never a shadow: the proxy's call is the answer
        null,
        p.at(),
        null,
        null,
        null,
        null,
        new BodyUse(forward, BodyUse.RAW));
  }

  /** The route's body rules, or null when it uses nothing beyond JSON in and templates out. */
  private static BodyPlan bodies(RouteSpec route, List<StepSpec> steps) {
    Set<String> forwarding = new LinkedHashSet<>();
    for (StepSpec s : steps) {
      if (s.bodyUse().forwardBody()) {
        forwarding.add(s.name());
      }
    }
    RequestBodySpec rb = route.requestBody();
    if (rb == null && forwarding.isEmpty() && route.proxy() == null) {
      return null;
    }
    List<String> accept = rb == null ? List.of("json") : rb.accept();
    return new BodyPlan(
        accept.contains("json"),
        accept.contains("form"),
        accept.contains("text"),
        accept.contains("bytes"),
        rb != null && rb.jsonWithoutContentType(),
        Set.copyOf(forwarding),
        route.proxy() != null);
  }

  private static Shape defaultShape(List<StepSpec> steps, Binder b) {
    Map<String, ValueSpec> fields = new LinkedHashMap<>();
    for (StepSpec s : steps) {
      // A shadow step's result is never available, so the default answer leaves it out.
      if (!Binder.RESERVED.contains(s.name()) && s.shadow() == null) {
        fields.put(s.name(), new ValueSpec.Str(new Text(s.name(), s.at())));
      }
    }
    return Shape.compile(new ValueSpec.Obj(fields, Src.NONE), b);
  }

  private static StepPlan compileStep(MedleySpec spec, StepSpec s, int index, Binder b) {
    boolean ok = true;
    if (s.upstream() != null && !spec.upstreams().containsKey(s.upstream())) {
      b.error(
          s.at(),
          "unknown upstream '"
              + s.upstream()
              + "'"
              + dev.medley.config.Suggest.hint(s.upstream(), spec.upstreams().keySet())
              + " (expected one of: "
              + String.join(", ", spec.upstreams().keySet())
              + ")");
      ok = false;
    }
    if (s.body() != null && !BODY_METHODS.contains(s.method())) {
      b.error(s.at(), "body is only sent with POST, PUT or PATCH, not " + s.method());
      ok = false;
    }
    Expr forEach =
        s.forEach() == null
            ? null
            : ExprCompiler.compile(
                s.forEach(),
                b.at(b.keyPath() + ".forEach", null, false, false),
                ExprCompiler.Use.FOR_EACH);
    Expr when =
        s.when() == null
            ? null
            : ExprCompiler.compile(
                s.when(), b.at(b.keyPath() + ".when", null, false, false), ExprCompiler.Use.WHEN);
    String item = s.forEach() == null ? null : s.as();
    Binder ib = b.at(b.keyPath(), item, false, false);
    PathTemplate path =
        s.path() == null
            ? null
            : PathTemplate.compile(s.path(), ib.at(b.keyPath() + ".path", item, false, false));
    String[] qn = s.query().keySet().toArray(String[]::new);
    TextTemplate[] qv = compileTexts(s.query(), ib.at(b.keyPath() + ".query", item, false, false));
    String[] hn = s.headers().keySet().toArray(String[]::new);
    TextTemplate[] hv =
        compileTexts(s.headers(), ib.at(b.keyPath() + ".headers", item, false, false));
    ValueTemplate body =
        s.body() == null
            ? null
            : ValueTemplate.compile(s.body(), ib.at(b.keyPath() + ".body", item, false, false));
    // In a forEach step, select also sees the item (and its index) the result belongs to.
    Expr select =
        s.select() == null
            ? null
            : ExprCompiler.compile(
                s.select(),
                b.at(b.keyPath() + ".select", item, false, true),
                ExprCompiler.Use.SELECT);
    BatchPlan batch =
        s.batch() == null
            ? null
            : compileBatch(s.batch(), b.at(b.keyPath() + ".batch", null, true, false), item);
    CachePlan cache =
        s.cache() == null
            ? null
            : CachePlan.compile(s.cache(), ib.at(b.keyPath() + ".cache.tags", item, false, true));
    ok &=
        path != null
            && (s.forEach() == null || forEach != null)
            && (s.when() == null || when != null)
            && qv != null
            && hv != null
            && (s.body() == null || body != null)
            && (s.select() == null || select != null)
            && (s.batch() == null || batch != null)
            && (s.cache() == null || cache != null);
    if (!ok) {
      return null;
    }
    int[] deps = b.deps().stream().mapToInt(Integer::intValue).toArray();
    return new StepPlan(
        index,
        s.name(),
        s.upstream(),
        s.method(),
        path,
        qn,
        qv,
        s.skipEmptyQuery(),
        hn,
        hv,
        body,
        when,
        forEach,
        s.concurrency(),
        batch,
        select,
        s.merge(),
        s.optional(),
        s.fallback(),
        s.timeout(),
        cache,
        s.shadow() == null ? null : new ShadowPlan(s.shadow()),
        deps,
        s.graphql() == null ? null : GraphqlPlan.compile(s.graphql(), body),
        s.bodyUse());
  }

  private static BatchPlan compileBatch(BatchSpec bs, Binder b, String item) {
    PathTemplate path =
        bs.path() == null
            ? null
            : PathTemplate.compile(bs.path(), b.at(b.keyPath() + ".path", null, true, false));
    ValueTemplate body =
        bs.body() == null
            ? null
            : ValueTemplate.compile(bs.body(), b.at(b.keyPath() + ".body", null, true, false));
    String[] qn = bs.query().keySet().toArray(String[]::new);
    TextTemplate[] qv = compileTexts(bs.query(), b.at(b.keyPath() + ".query", null, true, false));
    Expr key =
        bs.key() == null
            ? null
            : ExprCompiler.compile(
                bs.key(), b.at(b.keyPath() + ".key", item, false, false), ExprCompiler.Use.SELECT);
    if (path == null
        || (bs.body() != null && body == null)
        || qv == null
        || (bs.key() != null && key == null)) {
      return null;
    }
    String[] at = bs.resultsAt().isEmpty() ? new String[0] : bs.resultsAt().split("\\.");
    String[] matchOn = bs.matchOn() == null ? null : bs.matchOn().split("\\.");
    return new BatchPlan(
        bs.method(),
        path,
        body,
        bs.max(),
        at,
        matchOn,
        bs.window(),
        qn,
        qv,
        key,
        bs.missing() == null
            ? com.fasterxml.jackson.databind.node.NullNode.getInstance()
            : bs.missing());
  }

  private static TextTemplate[] compileTexts(Map<String, Text> texts, Binder b) {
    TextTemplate[] out = new TextTemplate[texts.size()];
    int i = 0;
    boolean ok = true;
    for (Text t : texts.values()) {
      out[i] = TextTemplate.compile(t, b);
      ok &= out[i++] != null;
    }
    return ok ? out : null;
  }

  /** Dependency order (depth-first); reports a cycle with the steps on it. */
  private static int[] order(
      int[][] deps, List<StepSpec> specs, String keyPath, Problems problems) {
    int n = deps.length;
    int[] state = new int[n]; // 0 new, 1 on stack, 2 done
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<Integer> stack = new ArrayList<>();
      if (!visit(i, deps, state, out, stack)) {
        int start = stack.indexOf(stack.get(stack.size() - 1));
        List<String> names = new ArrayList<>();
        for (int j = start; j < stack.size(); j++) {
          names.add(specs.get(stack.get(j)).name());
        }
        StepSpec first = specs.get(stack.get(start));
        problems.add(
            first.at(),
            keyPath + ".steps." + first.name(),
            "dependency cycle: " + String.join(" -> ", names));
        return null;
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  private static boolean visit(
      int i, int[][] deps, int[] state, List<Integer> out, List<Integer> stack) {
    if (state[i] == 2) {
      return true;
    }
    stack.add(i);
    if (state[i] == 1) {
      return false;
    }
    state[i] = 1;
    for (int d : deps[i]) {
      if (!visit(d, deps, state, out, stack)) {
        return false;
      }
    }
    state[i] = 2;
    stack.remove(stack.size() - 1);
    out.add(i);
    return true;
  }
}
