package dev.medley.upstream;

/**
 * Why an upstream call failed. The message is safe to show a client: it never contains an
 * internal URL, only the upstream's name and the kind of failure.
 */
public final class UpstreamException extends RuntimeException {
  /** Kinds of failure; retry and breaker policies decide by kind. */
  public enum Kind {
    /** Could not connect (refused, unresolvable host, connect timeout). */
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
    /** A local policy refused to send (open breaker, full bulkhead, budget). */
    REJECTED
  }

  private final Kind kind;
  private final String upstream;
  private final int status;

  public UpstreamException(Kind kind, String upstream, String message) {
    this(kind, upstream, 0, message);
  }

  public UpstreamException(Kind kind, String upstream, int status, String message) {
    super(message, null, false, false);
    this.kind = kind;
    this.upstream = upstream;
    this.status = status;
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
}
