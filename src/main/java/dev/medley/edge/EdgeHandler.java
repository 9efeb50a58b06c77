package dev.medley.edge;

import io.vertx.core.Future;

/** Answers an inbound request; the innermost one runs the route. */
@FunctionalInterface
public interface EdgeHandler {
  Future<Reply> handle(EdgeRequest request);
}
