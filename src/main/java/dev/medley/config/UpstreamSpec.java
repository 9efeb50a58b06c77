package dev.medley.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One upstream service: where it runs, how it is called, and how calls to it are protected.
 * Resilience settings are described with their defaults and reasons in docs/resilience.md.
 *
 * @param name the key it is declared under; steps refer to it by this name
 * @param urls base URLs of its instances ({@code http://} or {@code https://}, optional path
 *     prefix); one for {@code url:}, several for {@code urls:}
 * @param balance how a call picks an instance when there are several; round-robin by default
 * @param timeout per-attempt timeout, 1s by default; always capped by the request's remaining
 *     deadline
 * @param maxResponseSize largest accepted response body, 10MiB by default; larger is a failed step
 * @param maxConnections keep-alive connection pool size per instance, 64 by default
 * @param keepAliveTimeout how long an unused pooled connection stays open, 60s by default
 * @param http2 when HTTP/2 is used; {@code auto} (h2 over https when the upstream offers it) by
 *     default
 * @param headers headers added to every call, e.g. service credentials; values may use ${env:...}
 * @param deadlineHeader header that tells the upstream how many milliseconds this attempt has left
 *     ({@code X-Request-Timeout-Ms} by default), or null when switched off
 * @param retry when and how often a failed call is tried again, within a retry budget
 * @param breaker when calls stop going to a failing upstream (and instance), or null when off
 * @param ejection how long a failing instance of a multi-instance upstream is taken out of rotation
 * @param maxConcurrent most calls in flight to this upstream at once, 256 by default
 * @param maxQueue most calls waiting for a free slot when {@code maxConcurrent} are in flight, 64
 *     by default; beyond it calls are refused at once
 * @param health an active health check, or null for none
 * @param coalesce true by default: identical GET and HEAD calls in flight at once share one call
 * @param tls a CA to trust and a client certificate (mTLS) for https upstreams; null uses the JVM's
 *     trust and no client certificate
 * @param oauth2 service credentials from an OAuth2 token endpoint; null sends none
 * @param hedge hedged requests to this upstream, or null (the default) for none
 * @param followRedirects how same-origin redirects are followed, or null (the default): a redirect
 *     is then a failed call
 * @param at where it was declared
 */
public record UpstreamSpec(
    String name,
    List<String> urls,
    Balance balance,
    Duration timeout,
    long maxResponseSize,
    int maxConnections,
    Duration keepAliveTimeout,
    Http2 http2,
    Map<String, String> headers,
    String deadlineHeader,
    RetrySpec retry,
    BreakerSpec breaker,
    EjectionSpec ejection,
    int maxConcurrent,
    int maxQueue,
    HealthSpec health,
    boolean coalesce,
    TlsSpec tls,
    OAuth2Spec oauth2,
    HedgeSpec hedge,
    RedirectSpec followRedirects,
    Src at) {

  /** How a call picks one of several instances. */
  public enum Balance {
    /** Each instance in turn. */
    ROUND_ROBIN,
    /** The instance with the fewest calls in flight (ties go round-robin). */
    LEAST_REQUEST
  }

  /** When calls use HTTP/2. */
  public enum Http2 {
    /** h2 over https when the upstream offers it (ALPN); HTTP/1.1 over http. */
    AUTO,
    /** HTTP/1.1 only. */
    OFF,
    /** h2 over plain http by prior knowledge: the upstream must speak HTTP/2 without TLS. */
    H2C
  }

  /** The first instance's URL: the upstream's only URL when it declares {@code url:}. */
  public String url() {
    return urls.get(0);
  }

  @Override
  public String toString() {
    // Header values are often credentials: never print them.
    return "UpstreamSpec[name="
        + name
        + ", urls="
        + urls
        + ", timeout="
        + timeout
        + ", headers="
        + headers.keySet()
        + "]";
  }
}
