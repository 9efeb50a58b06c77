package dev.medley.config;

import java.time.Duration;
import java.util.Map;

/**
 * One upstream service.
 *
 * @param name the key it is declared under; steps refer to it by this name
 * @param url base URL ({@code http://} or {@code https://}, optional path prefix)
 * @param timeout per-attempt timeout, 1s by default; always capped by the request's remaining deadline
 * @param maxResponseSize largest accepted response body, 10MiB by default; larger is a failed step
 * @param maxConnections keep-alive connection pool size, 64 by default
 * @param headers headers added to every call, e.g. service credentials; values may use ${env:...}
 * @param tls a CA to trust and a client certificate (mTLS) for https upstreams; null uses the JVM's trust and no client certificate
 * @param oauth2 service credentials from an OAuth2 token endpoint; null sends none
 * @param at where it was declared
 */
public record UpstreamSpec(
    String name,
    String url,
    Duration timeout,
    long maxResponseSize,
    int maxConnections,
    Map<String, String> headers,
    TlsSpec tls,
    OAuth2Spec oauth2,
    Src at) {

  @Override
  public String toString() {
    // Header values are often credentials: never print them.
    return "UpstreamSpec[name=" + name + ", url=" + url + ", timeout=" + timeout + ", headers=" + headers.keySet() + "]";
  }
}
