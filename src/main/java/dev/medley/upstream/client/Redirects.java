package dev.medley.upstream.client;

import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamResponse;
import dev.medley.upstream.http1.Http1Client;
import dev.medley.upstream.resilience.InstanceSet;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Follows an upstream's redirects ({@code followRedirects}) inside one attempt: to the same origin
 * only (scheme, host and port of the instance called; anything else is refused, so credentials
 * never leave it), at most {@code maxHops} times, every hop within the attempt's time. Methods
 * follow RFC 9110: 301 and 302 turn a POST into a GET without body, 303 turns anything but GET and
 * HEAD into a GET without body, 307 and 308 keep method and body. It sits in the HTTP client, below
 * the policies: the retry, breaker and attempt metrics see the whole chain as one attempt.
 */
final class Redirects {
  /** Sends one hop to the instance already picked, with {@code timeout} for it. */
  @FunctionalInterface
  interface Hop {
    Future<UpstreamResponse> send(
        String method, String uri, MultiMap headers, Buffer body, Duration timeout);
  }

  private final String upstream;
  private final int maxHops;
  private final Clock clock;

  Redirects(String upstream, int maxHops, Clock clock) {
    this.upstream = upstream;
    this.maxHops = maxHops;
    this.clock = clock;
  }

  /** True for the statuses that are followed; 300, 304 and 305 are not redirects to follow. */
  static boolean followed(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  /** Where one hop goes, and with what. */
  private record Next(String method, String uri, MultiMap headers, Buffer body) {}

  /**
   * Follows {@code first} (the answer to {@code method uri}) until an answer that is not a
   * redirect, which is returned as it is.
   *
   * @param headers the first request's headers, as they were before it was sent
   * @param startNanos when the attempt began; {@code attemptNanos} is all the time it has
   */
  Future<UpstreamResponse> follow(
      UpstreamResponse first,
      InstanceSet.Instance inst,
      String method,
      String uri,
      MultiMap headers,
      Buffer body,
      long startNanos,
      long attemptNanos,
      UpstreamException.Kind onTimeout,
      Hop hop) {
    Set<String> seen = new HashSet<>();
    seen.add(method + ' ' + uri);
    return step(
        first,
        inst,
        new Next(method, uri, headers, body),
        0,
        seen,
        startNanos,
        attemptNanos,
        onTimeout,
        hop);
  }

  private Future<UpstreamResponse> step(
      UpstreamResponse resp,
      InstanceSet.Instance inst,
      Next current,
      int hops,
      Set<String> seen,
      long startNanos,
      long attemptNanos,
      UpstreamException.Kind onTimeout,
      Hop hop) {
    if (!followed(resp.status())) {
      return Future.succeededFuture(resp);
    }
    int status = resp.status();
    if (hops >= maxHops) {
      return fail(status, "upstream '" + upstream + "' redirected more than " + maxHops + " times");
    }
    String target = target(inst, current.uri(), resp.headers().get("location"));
    if (target == null) {
      return fail(
          status,
          "upstream '"
              + upstream
              + "' redirected to another origin, or without a valid Location (only same-origin"
              + " redirects are followed)");
    }
    Next next = next(status, current, target);
    if (!seen.add(next.method() + ' ' + next.uri())) {
      return fail(status, "upstream '" + upstream + "' redirected in a loop");
    }
    long left = attemptNanos - (clock.nanoTime() - startNanos);
    if (left < 1_000_000L) {
      return Future.failedFuture(
          new UpstreamException(
              onTimeout,
              upstream,
              "upstream '"
                  + upstream
                  + "' did not answer within "
                  + attemptNanos / 1_000_000L
                  + "ms (following redirects)"));
    }
    MultiMap sent = copy(next.headers());
    return hop.send(next.method(), next.uri(), sent, next.body(), Duration.ofNanos(left))
        .compose(
            r -> step(r, inst, next, hops + 1, seen, startNanos, attemptNanos, onTimeout, hop));
  }

  private Future<UpstreamResponse> fail(int status, String message) {
    return Future.failedFuture(
        new UpstreamException(UpstreamException.Kind.STATUS, upstream, status, message));
  }

  /**
   * The next hop: RFC 9110 section 15.4 method rules; a hop that drops the body drops its content
   * headers too.
   */
  private static Next next(int status, Next current, String target) {
    String m = current.method();
    boolean toGet =
        (status == 303 && !m.equals("GET") && !m.equals("HEAD"))
            || ((status == 301 || status == 302) && m.equals("POST"));
    if (!toGet) {
      return new Next(m, target, current.headers(), current.body());
    }
    MultiMap h = copy(current.headers());
    h.remove("content-type");
    h.remove("content-length");
    h.remove("content-encoding");
    return new Next("GET", target, h, null);
  }

  /**
   * The path and query to send next when {@code location} stays on {@code inst}'s origin, else
   * null. A relative location resolves against the current request; host names compare without
   * case, and a missing port is the scheme's default.
   */
  static String target(InstanceSet.Instance inst, String currentUri, String location) {
    if (location == null || location.isBlank()) {
      return null;
    }
    try {
      String scheme = inst.ssl() ? "https" : "http";
      URI base = new URI(scheme + "://" + inst.host() + ':' + inst.port() + currentUri);
      URI to = base.resolve(new URI(location.trim()));
      if (to.getScheme() == null || to.getHost() == null) {
        return null;
      }
      int port =
          to.getPort() > 0 ? to.getPort() : "https".equalsIgnoreCase(to.getScheme()) ? 443 : 80;
      if (!to.getScheme().toLowerCase(Locale.ROOT).equals(scheme)
          || !to.getHost().equalsIgnoreCase(inst.host())
          || port != inst.port()
          || to.getRawUserInfo() != null) {
        return null;
      }
      String path = to.getRawPath() == null || to.getRawPath().isEmpty() ? "/" : to.getRawPath();
      return to.getRawQuery() == null ? path : path + '?' + to.getRawQuery();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  /** A fresh copy without {@code content-length}: the client sets it for the body it sends. */
  static MultiMap copy(MultiMap headers) {
    MultiMap h = Http1Client.headers();
    h.addAll(headers);
    h.remove("content-length");
    return h;
  }
}
