package dev.medley.upstream.resilience;

import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.AsyncResult;

/** How a finished call counts for a circuit breaker. */
enum Verdict {
  /**
   * The upstream answered: counts as a success (4xx included: the caller's fault, not the
   * upstream's).
   */
  SUCCESS,
  /** The upstream is unavailable or failing: connect failure, reset, timeout, deadline or 5xx. */
  FAILURE,
  /** Nothing reached the upstream (refused locally): does not count. */
  IGNORED;

  static Verdict of(AsyncResult<UpstreamResponse> ar) {
    return of(ar.succeeded() ? ar.result() : null, ar.failed() ? ar.cause() : null);
  }

  /** The verdict of a call that answered {@code response}, or failed with {@code failure}. */
  static Verdict of(UpstreamResponse response, Throwable failure) {
    if (failure == null) {
      return response.status() >= 500 ? FAILURE : SUCCESS;
    }
    if (failure instanceof UpstreamException u) {
      return switch (u.kind()) {
        case CONNECT, RESET, TIMEOUT, DEADLINE -> FAILURE;
        case REJECTED -> IGNORED;
        // The upstream is up and answering; a too-large or unparsable body is its content's
        // problem.
        case STATUS, TOO_LARGE, BAD_BODY -> SUCCESS;
      };
    }
    return FAILURE;
  }
}
