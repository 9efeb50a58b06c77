package dev.medley.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * One call to an upstream, fully expanded: nothing in it is a template any more. The same request
 * may be sent several times (retries); each attempt gets {@code timeout}, cut short by the
 * deadline.
 *
 * @param step the step making the call, for errors, logs and metrics
 * @param method HTTP method
 * @param pathAndQuery encoded path and query, appended to the upstream's base path
 * @param headers headers to send (service credentials and the deadline header are added by the
 *     client)
 * @param body request body, or null
 * @param timeout time allowed for one attempt, before the deadline cap
 * @param deadlineNanos the request deadline on the injected clock; no attempt runs past it
 * @param notes what the policies did with this call; a policy that sends a changed copy of the
 *     request keeps the same notes
 */
public record UpstreamRequest(
    String step,
    String method,
    String pathAndQuery,
    MultiMap headers,
    Buffer body,
    Duration timeout,
    long deadlineNanos,
    CallNotes notes) {

  /** A request with fresh notes. */
  public UpstreamRequest(
      String step,
      String method,
      String pathAndQuery,
      MultiMap headers,
      Buffer body,
      Duration timeout,
      long deadlineNanos) {
    this(step, method, pathAndQuery, headers, body, timeout, deadlineNanos, new CallNotes());
  }

  /**
   * Nanoseconds an attempt starting at {@code nowNanos} may take: its timeout, capped by the
   * deadline.
   */
  public long attemptNanos(long nowNanos) {
    return Math.min(timeout.toNanos(), deadlineNanos - nowNanos);
  }

  /**
   * True when an attempt starting at {@code nowNanos} would be cut short by the deadline, not its
   * timeout.
   */
  public boolean deadlineBinds(long nowNanos) {
    return deadlineNanos - nowNanos <= timeout.toNanos();
  }

  /**
   * The same request with a shorter attempt timeout (same notes), e.g. after waiting in a bulkhead
   * queue.
   */
  public UpstreamRequest withTimeout(Duration t) {
    return new UpstreamRequest(step, method, pathAndQuery, headers, body, t, deadlineNanos, notes);
  }

  /** The same call with other headers (same notes). */
  public UpstreamRequest withHeaders(MultiMap newHeaders) {
    return new UpstreamRequest(
        step, method, pathAndQuery, newHeaders, body, timeout, deadlineNanos, notes);
  }
}
