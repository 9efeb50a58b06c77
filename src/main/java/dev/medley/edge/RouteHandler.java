package dev.medley.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.engine.Composed;
import dev.medley.engine.Engine;
import dev.medley.engine.RawAnswer;
import dev.medley.engine.RouteFailure;
import dev.medley.engine.Upstreams;
import dev.medley.json.Json;
import dev.medley.plan.BodyPlan;
import dev.medley.plan.ParamRule;
import dev.medley.plan.RoutePlan;
import dev.medley.plan.Scope;
import dev.medley.upstream.UpstreamCall;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The innermost edge handler: binds the matched route's inputs (validated into a {@link Scope}),
 * then hands the scope to the {@link RouteRunner}: the response cache, when configured, around the
 * {@link #executor executor}, which runs the engine and encodes its outcome (body, partial header,
 * or problem).
 */
public final class RouteHandler implements EdgeHandler {
  /**
   * The response fields whose expression failed for this request (explain names their config
   * place).
   */
  public static final EdgeRequest.Attr<java.util.List<dev.medley.plan.Scope.FieldFailure>>
      FIELD_FAILURES = new EdgeRequest.Attr<>("fieldFailures");

  /** Names the degraded steps of a partial answer. */
  public static final String PARTIAL_HEADER = "X-Medley-Partial";

  private final RouteRunner runner;

  public RouteHandler(Engine engine) {
    this(executor(engine));
  }

  /** Runs routes through {@code decorators} (outermost first) around the engine's executor. */
  public RouteHandler(Engine engine, List<RouteRunner.Decorator> decorators) {
    this(RouteRunner.decorate(decorators, executor(engine)));
  }

  public RouteHandler(RouteRunner runner) {
    this.runner = runner;
  }

  @Override
  public Future<Reply> handle(EdgeRequest req) {
    RoutePlan route = req.route();
    Inputs in = new Inputs();
    String bad = in.read(route, req.pathValues(), req);
    if (bad != null) {
      return done(Problem.reply(400, "invalid-parameter", "Bad Request", bad, req));
    }
    Scope scope =
        new Scope(
            in.params,
            in.query,
            in.queryLists == null ? Map.of() : in.queryLists,
            in.headers,
            req.claims() == null ? JsonNodeFactory.instance.objectNode() : req.claims(),
            in.body,
            route.steps().length);
    return runner.run(req, scope).map(RouteRunner.Answer::reply);
  }

  /**
   * The terminal runner: executes the route on the engine (the step results land in the scope), the
   * plan's shape renders the body, and it is encoded once; a failure becomes a problem reply.
   */
  public static RouteRunner executor(Engine engine) {
    return (req, scope) -> {
      RoutePlan route = req.route();
      Generation lp = req.generation();
      Upstreams upstreams =
          req.hasUpstreamHeaders()
              ? withHeaders(lp.upstreams(), req.upstreamHeaders())
              : lp.upstreams();
      BodyPlan bodies = route.bodies();
      if (bodies != null && !bodies.forwarding().isEmpty()) {
        upstreams = ClientBody.forwarding(upstreams, bodies.forwarding(), req);
      }
      // Only routes with forwarding or copying rules pay for them (compiled: null otherwise).
      PassingCalls passing =
          route.passing() == null ? null : new PassingCalls(upstreams, route.passing(), req);
      return engine
          .execute(
              route,
              scope,
              passing == null ? upstreams : passing,
              req.requestId(),
              req.propagated())
          .map(
              c -> {
                req.trace(c.trace());
                if (!scope.failures().isEmpty()) {
                  req.attr(FIELD_FAILURES, scope.failures());
                }
                if (bodies != null && bodies.proxy()) {
                  // The upstream's own headers are the reply's; nothing is copied or composed.
                  return new RouteRunner.Answer(
                      PassThrough.reply((RawAnswer) scope.step(0)), false);
                }
                Reply r = reply(c);
                if (passing != null) {
                  passing.apply(r, c.trace(), route.cacheControl());
                }
                return new RouteRunner.Answer(r, c.partial());
              })
          .recover(
              t -> {
                if (t instanceof RouteFailure f) {
                  req.trace(f.trace());
                }
                return Future.succeededFuture(new RouteRunner.Answer(problem(t, req), false));
              });
    };
  }

  /**
   * {@code base} with {@code extra} set on every call, over any header of the same name a step
   * wrote.
   */
  private static Upstreams withHeaders(Upstreams base, MultiMap extra) {
    return new Upstreams() {
      @Override
      public UpstreamCall call(String name) {
        UpstreamCall call = base.call(name);
        return r -> {
          extra.names().forEach(h -> r.headers().set(h, extra.getAll(h)));
          return call.call(r);
        };
      }

      @Override
      public Duration timeout(String name) {
        return base.timeout(name);
      }
    };
  }

  private static Reply reply(Composed c) {
    Reply r = Reply.json(200, Json.bytes(c.body()));
    if (c.partial()) {
      r.headers().set(PARTIAL_HEADER, String.join(",", c.degraded()));
    }
    return r;
  }

  private static Reply problem(Throwable t, EdgeRequest req) {
    if (t instanceof RouteFailure f && f.passed() != null) {
      return passed(f, req);
    }
    if (t instanceof RouteFailure f) {
      ObjectNode extra = null;
      if (f.members() != null) {
        extra = f.members().deepCopy(); // the route's static data, as extension members
      }
      if (f.step() != null) {
        extra =
            (extra == null ? JsonNodeFactory.instance.objectNode() : extra).put("step", f.step());
      }
      String slug =
          switch (f.status()) {
            case 504 -> "deadline-exceeded";
            case 503 -> "upstream-unavailable";
            case 400 -> "invalid-input";
            default -> "step-failed";
          };
      Reply r = Problem.reply(f.status(), slug, f.title(), f.getMessage(), req, extra);
      if (f.retryAfter() != null) {
        // Whole seconds, rounded up: a client retrying earlier would only be refused again.
        r.headers()
            .set(
                "retry-after",
                Long.toString(Math.max(1, (f.retryAfter().toMillis() + 999) / 1000)));
      }
      return r;
    }
    return Problem.reply(
        500, "internal", "Internal Server Error", "the gateway failed to compose this answer", req);
  }

  /**
   * An upstream error passed by {@code passErrors}: its status, its body when that passes (else a
   * problem with the same status), and its Retry-After; no other upstream header.
   */
  private static Reply passed(RouteFailure f, EdgeRequest req) {
    RouteFailure.Passed p = f.passed();
    Reply r;
    if (p.body() != null) {
      MultiMap h = MultiMap.caseInsensitiveMultiMap();
      h.set("content-type", p.contentType());
      r = new Reply(f.status(), h, p.body());
    } else {
      ObjectNode extra = JsonNodeFactory.instance.objectNode().put("step", f.step());
      r = Problem.reply(f.status(), "upstream-error", f.title(), f.getMessage(), req, extra);
    }
    if (p.retryAfter() != null) {
      r.headers().set("retry-after", p.retryAfter());
    }
    return r;
  }

  static Future<Reply> done(Reply r) {
    return Future.succeededFuture(r);
  }

  /** The request inputs templates may read, after validation. */
  private static final class Inputs {
    final Map<String, String> params = new HashMap<>();
    final Map<String, String> query = new HashMap<>();
    final Map<String, String> headers = new HashMap<>();

    /** Repeated query parameters' values; null while the route declares none. */
    Map<String, List<String>> queryLists;

    JsonNode body;

    /** Keeps every value of a repeated parameter, each checked; the reason when one fails. */
    String readList(ParamRule q, List<String> values) {
      if (values.size() > q.maxItems()) {
        return "query parameter '" + q.name() + "' has more than " + q.maxItems() + " values";
      }
      if (values.isEmpty() && q.required()) {
        return "query parameter '" + q.name() + "' is required";
      }
      for (String v : values) {
        String why = q.check(v);
        if (why != null) {
          return "a value of query parameter '" + q.name() + "' " + why;
        }
      }
      if (queryLists == null) {
        queryLists = new HashMap<>();
      }
      queryLists.put(q.name(), List.copyOf(values));
      return null;
    }

    /** Fills the maps; returns a client-facing reason when something is invalid. */
    String read(RoutePlan route, String[] values, EdgeRequest req) {
      ParamRule[] rules = route.params();
      for (int i = 0; i < rules.length; i++) {
        if (rules[i] == null) {
          continue;
        }
        String why = rules[i].checkPath(values[i]);
        if (why != null) {
          return "path parameter '" + rules[i].name() + "' " + why;
        }
        params.put(rules[i].name(), values[i]);
      }
      for (ParamRule q : route.query().values()) {
        if (q.repeated()) {
          String why = readList(q, req.query().getAll(q.name()));
          if (why != null) {
            return why;
          }
          continue;
        }
        String v = req.query().get(q.name());
        if (v == null) {
          if (q.required()) {
            return "query parameter '" + q.name() + "' is required";
          }
          v = q.defaultValue();
        } else {
          String why = q.check(v);
          if (why != null) {
            return "query parameter '" + q.name() + "' " + why;
          }
        }
        if (v != null) {
          query.put(q.name(), v);
        }
      }
      for (String h : route.headers()) {
        String v = req.headers().get(h);
        if (v != null) {
          headers.put(h, v);
        }
      }
      if (req.body() != null && req.body().length() > 0) {
        if (route.bodies() != null) {
          try {
            body = ClientBody.bind(route.bodies(), req);
          } catch (IllegalArgumentException e) {
            return e.getMessage();
          }
          return null;
        }
        try {
          body = Json.parse(req.body().getBytes());
        } catch (IOException e) {
          return "the request body is not valid JSON";
        }
      }
      return null;
    }
  }
}
