package dev.medley.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * One call to an upstream, fully expanded: nothing in it is a template any more.
 *
 * @param step the step making the call, for errors, logs and metrics
 * @param method HTTP method
 * @param pathAndQuery encoded path and query, appended to the upstream's base path
 * @param headers headers to send (service credentials are added by the client)
 * @param body request body, or null
 * @param timeout time allowed for this attempt; already capped by the request deadline
 * @param timeoutIsDeadline true when the cap was the request deadline, so expiry means 504
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
    boolean timeoutIsDeadline,
    CallNotes notes) {

  /** A request with fresh notes. */
  public UpstreamRequest(String step, String method, String pathAndQuery, MultiMap headers, Buffer body,
      Duration timeout, boolean timeoutIsDeadline) {
    this(step, method, pathAndQuery, headers, body, timeout, timeoutIsDeadline, new CallNotes());
  }

  /** The same call with other headers (same notes). */
  public UpstreamRequest withHeaders(MultiMap newHeaders) {
    return new UpstreamRequest(step, method, pathAndQuery, newHeaders, body, timeout, timeoutIsDeadline, notes);
  }

  /** The same call with another attempt timeout (same notes), e.g. for a retry. */
  public UpstreamRequest withTimeout(Duration newTimeout, boolean newTimeoutIsDeadline) {
    return new UpstreamRequest(step, method, pathAndQuery, headers, body, newTimeout, newTimeoutIsDeadline, notes);
  }
}
