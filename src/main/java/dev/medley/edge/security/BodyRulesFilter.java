package dev.medley.edge.security;

import dev.medley.edge.ClientBody;
import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Problem;
import dev.medley.edge.Reply;
import dev.medley.plan.BodyPlan;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.Locale;

/**
 * Per-route body rules for methods that carry a body: the route's size limit (413), a JSON {@code
 * Content-Type} (415, which also forces browsers to preflight cross-origin writes) and the nesting
 * depth limit (400).
 */
final class BodyRulesFilter implements EdgeFilter {
  private final long max;
  private final int depth;

  /** The route's accepted body kinds, or null for JSON with a JSON {@code Content-Type} only. */
  private final BodyPlan kinds;

  /**
   * @param max the route's body limit in bytes; @param depth the deepest JSON nesting accepted
   */
  BodyRulesFilter(long max, int depth) {
    this(max, depth, null);
  }

  /** As {@link #BodyRulesFilter(long, int)}, accepting the kinds {@code kinds} allows. */
  BodyRulesFilter(long max, int depth, BodyPlan kinds) {
    this.max = max;
    this.depth = depth;
    this.kinds = kinds;
  }

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    Buffer body = req.body();
    if (body == null || body.length() == 0) {
      return next.handle(req);
    }
    if (body.length() > max) {
      Reply r =
          Problem.reply(
              413,
              "body-too-large",
              "Content Too Large",
              "the request body is larger than " + max + " bytes",
              req);
      return RequestLimitsFilter.done(r);
    }
    if (kinds != null) {
      return byKind(req, body, next);
    }
    if (!isJson(req.headers().get("content-type"))) {
      Reply r =
          Problem.reply(
              415,
              "unsupported-media-type",
              "Unsupported Media Type",
              "the request body must be JSON (Content-Type: application/json)",
              req);
      r.headers()
          .set(req.method().equals("PATCH") ? "accept-patch" : "accept-post", "application/json");
      return RequestLimitsFilter.done(r);
    }
    if (JsonDepth.exceeds(body, depth)) {
      return RequestLimitsFilter.done(
          Problem.reply(
              400,
              "json-too-deep",
              "Bad Request",
              "the JSON body nests deeper than " + depth + " levels",
              req));
    }
    return next.handle(req);
  }

  /** The rules of a route with {@code requestBody:} (or a forwarding or proxy route). */
  private Future<Reply> byKind(EdgeRequest req, Buffer body, EdgeHandler next) {
    ClientBody.Kind kind = ClientBody.kind(kinds, req.headers().get("content-type"));
    if (kind == null) {
      String accepted = ClientBody.accepted(kinds);
      Reply r =
          Problem.reply(
              415,
              "unsupported-media-type",
              "Unsupported Media Type",
              "the request body must be one of: " + accepted + " (with its Content-Type)",
              req);
      r.headers().set(req.method().equals("PATCH") ? "accept-patch" : "accept-post", accepted);
      return RequestLimitsFilter.done(r);
    }
    if (kind == ClientBody.Kind.JSON && JsonDepth.exceeds(body, depth)) {
      return RequestLimitsFilter.done(
          Problem.reply(
              400,
              "json-too-deep",
              "Bad Request",
              "the JSON body nests deeper than " + depth + " levels",
              req));
    }
    return next.handle(req);
  }

  /** {@code application/json} or any {@code +json} type, parameters (charset) allowed. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    int semi = contentType.indexOf(';');
    String type =
        (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    return type.equals("application/json")
        || (type.startsWith("application/") && type.endsWith("+json"));
  }
}
