package dev.medley.edge;

import dev.medley.plan.Router;
import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * Matches the request to a route of its generation and records the route on the request, so the
 * route's own filters can run. Matches against the generation already pinned on the request, if one
 * was pinned. Answers 404, 405 and malformed paths itself.
 */
public final class RouteMatcher implements EdgeFilter {
  private final Supplier<Generation> live;

  public RouteMatcher(Supplier<Generation> live) {
    this.live = live;
  }

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    Generation g = req.generation() != null ? req.generation() : live.get();
    String[] segments = PathSegments.decode(req.path());
    if (segments == null) {
      return RouteHandler.done(
          Problem.reply(
              400, "bad-path", "Bad Request", "the path is not validly percent-encoded", req));
    }
    // HEAD is answered like GET; the listener sends the headers only.
    String method = req.method().equals("HEAD") ? "GET" : req.method();
    Router.Match m = g.plan().router().match(method, segments);
    if (m instanceof Router.WrongMethod wm) {
      Reply r =
          Problem.reply(
              405,
              "method-not-allowed",
              "Method Not Allowed",
              req.method()
                  + " is not allowed here (allowed: "
                  + String.join(", ", wm.allowed())
                  + ")",
              req);
      r.headers().set("allow", String.join(", ", wm.allowed()));
      return RouteHandler.done(r);
    }
    if (!(m instanceof Router.Found found)) {
      return RouteHandler.done(
          Problem.reply(
              404,
              "not-found",
              "Not Found",
              "no route matches " + req.method() + " " + req.path(),
              req));
    }
    req.matched(g, found.route(), found.values());
    return next.handle(req);
  }
}
