package dev.medley.upstream;

import java.time.Duration;

/**
 * Why an upstream call failed. The message is safe to show a client: it never contains an internal
 * URL, only the upstream's name and the kind of failure.
 */
public final class UpstreamException extends RuntimeException {
  /** Kinds of failure; retry and breaker policies decide by kind. */
  public enum Kind {
    /** Could not connect (refused, unresolvable host, connect timeout): nothing was sent. */
    CONNECT,
    /** The connection broke before a whole answer arrived. */
    RESET,
    /** The attempt ran out of its own timeout. */
    TIMEOUT,
    /** The request's deadline ran out. */
    DEADLINE,
    /** The upstream answered with a status outside 2xx. */
    STATUS,
    /** The body was larger than the upstream's maxResponseSize. */
    TOO_LARGE,
    /** The body was not the JSON the step needs. */
    BAD_BODY,
    /** A local policy refused to send (open breaker, full bulkhead, every instance ejected). */
    REJECTED
  }

  private final Kind kind;
  private final String upstream;
  private final int status;
  private final Duration retryAfter;
  private final UpstreamResponse answer;

  public UpstreamException(Kind kind, String upstream, String message) {
    this(kind, upstream, 0, message);
  }

  public UpstreamException(Kind kind, String upstream, int status, String message) {
    this(kind, upstream, status, message, null);
  }

  private UpstreamException(
      Kind kind, String upstream, int status, String message, Duration retryAfter) {
    this(kind, upstream, status, message, retryAfter, null);
  }

  private UpstreamException(
      Kind kind,
      String upstream,
      int status,
      String message,
      Duration retryAfter,
      UpstreamResponse answer) {
    super(message, null, false, false);
    this.kind = kind;
    this.upstream = upstream;
    this.status = status;
    this.retryAfter = retryAfter;
    this.answer = answer;
  }

  /**
   * The upstream answered outside 2xx; the answer is kept so a route that passes errors can send
   * its status (and, when asked, its body) to the client.
   */
  public static UpstreamException status(String upstream, UpstreamResponse answer) {
    return new UpstreamException(
        Kind.STATUS,
        upstream,
        answer.status(),
        "upstream '" + upstream + "' answered " + answer.status(),
        null,
        answer);
  }

  /** A call refused locally; {@code retryAfter} is when trying again may succeed (Retry-After). */
  /**
   * What a transport failure means for {@code upstream}: a refused, unresolvable or timed-out
   * connect is {@link Kind#CONNECT} (nothing was sent: safe to retry anywhere); anything else broke
   * a connection that may have carried the request, {@link Kind#RESET}. Both HTTP clients use it.
   */
  public static UpstreamException ofTransport(String upstream, Throwable t) {
    if (t instanceof UpstreamException u) {
      return u;
    }
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof java.net.ConnectException
          || c instanceof java.net.UnknownHostException
          || c instanceof io.netty.channel.ConnectTimeoutException) {
        return new UpstreamException(
            Kind.CONNECT, upstream, "could not connect to upstream '" + upstream + "'");
      }
    }
    return new UpstreamException(
        Kind.RESET, upstream, "connection to upstream '" + upstream + "' broke");
  }

  public static UpstreamException rejected(String upstream, String message, Duration retryAfter) {
    return new UpstreamException(Kind.REJECTED, upstream, 0, message, retryAfter);
  }

  public Kind kind() {
    return kind;
  }

  public String upstream() {
    return upstream;
  }

  /** The upstream's status for {@link Kind#STATUS}, else 0. */
  public int status() {
    return status;
  }

  /** For {@link Kind#STATUS} from a step: the whole answer; else null. */
  public UpstreamResponse answer() {
    return answer;
  }

  /** For {@link Kind#REJECTED}: how long until a call may be accepted again; else null. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
