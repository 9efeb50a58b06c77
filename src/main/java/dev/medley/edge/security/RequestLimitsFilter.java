package dev.medley.edge.security;

import dev.medley.config.LimitsSpec;
import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Problem;
import dev.medley.edge.Reply;
import io.vertx.core.Future;
import java.util.Map;

/**
 * Refuses requests whose target or headers are too large before any routing work: URL length (414),
 * header bytes (431) and query parameter count (400). The HTTP/1.1 codec enforces the first two as
 * well (see {@link ListenerOptions}); this filter also covers HTTP/2, whose headers arrive decoded.
 */
final class RequestLimitsFilter implements EdgeFilter {
  private final LimitsSpec l;

  RequestLimitsFilter(LimitsSpec limits) {
    this.l = limits;
  }

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    int url = req.path().length() + (req.rawQuery() == null ? 0 : req.rawQuery().length() + 1);
    if (url > l.maxUrlLength()) {
      return done(
          Problem.reply(
              414,
              "url-too-long",
              "URI Too Long",
              "the request target is longer than " + l.maxUrlLength() + " characters",
              req));
    }
    long bytes = 0;
    for (Map.Entry<String, String> h : req.headers()) {
      bytes += h.getKey().length() + 2L + h.getValue().length();
    }
    if (bytes > l.maxHeaderSize()) {
      return done(
          Problem.reply(
              431,
              "headers-too-large",
              "Request Header Fields Too Large",
              "the request headers are larger than " + l.maxHeaderSize() + " bytes",
              req));
    }
    if (req.rawQuery() != null && req.query().entries().size() > l.maxQueryParams()) {
      return done(
          Problem.reply(
              400,
              "too-many-query-params",
              "Bad Request",
              "the request has more than " + l.maxQueryParams() + " query parameters",
              req));
    }
    return next.handle(req);
  }

  static Future<Reply> done(Reply r) {
    return Future.succeededFuture(r);
  }
}
