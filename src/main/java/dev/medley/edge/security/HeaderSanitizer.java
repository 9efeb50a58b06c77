package dev.medley.edge.security;

import dev.medley.edge.EdgeFilter;
import dev.medley.edge.EdgeHandler;
import dev.medley.edge.EdgeRequest;
import dev.medley.edge.Reply;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Removes inbound headers a client must never set: every {@code x-medley-*} header and every header
 * the gateway fills from verified claims. It runs first, so no template, expression, rate limit or
 * upstream ever sees a spoofed identity.
 */
final class HeaderSanitizer implements EdgeFilter {
  static final String RESERVED_PREFIX = "x-medley-";

  private final Set<String> claimHeaders;

  HeaderSanitizer(Set<String> claimHeaders) {
    this.claimHeaders = claimHeaders;
  }

  @Override
  public Future<Reply> apply(EdgeRequest req, EdgeHandler next) {
    strip(req.headers(), claimHeaders);
    return next.handle(req);
  }

  static void strip(MultiMap headers, Set<String> names) {
    List<String> doomed = null;
    for (String name : headers.names()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith(RESERVED_PREFIX) || names.contains(lower)) {
        if (doomed == null) {
          doomed = new ArrayList<>();
        }
        doomed.add(name);
      }
    }
    if (doomed != null) {
      doomed.forEach(headers::remove);
    }
  }
}
