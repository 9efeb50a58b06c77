package dev.medley.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Reading the resilience and pool keys of an upstream: values, defaults and located errors. */
@Tag("fast")
class ResilienceConfigTest {
  private static ConfigLoader.Result parse(String upstream) {
    String yaml =
        """
        version: 1
        upstreams:
          u:
        %s
        experiences: {}
        """
            .formatted(upstream.indent(4).stripTrailing());
    return new ConfigLoader(Env.of(Map.of())).parse(yaml, "medley.yaml");
  }

  private static UpstreamSpec upstream(String body) {
    ConfigLoader.Result r = parse(body);
    assertThat(r.errors()).isEmpty();
    return r.spec().upstreams().get("u");
  }

  private static List<String> errors(String body) {
    return parse(body).errors().stream().map(ConfigError::format).toList();
  }

  @Test
  void readsEveryResilienceKey() {
    UpstreamSpec u =
        upstream(
            """
        urls: [http://10.0.0.1:9101, http://10.0.0.2:9101/api]
        balance: leastRequest
        keepAliveTimeout: 30s
        http2: h2c
        deadlineHeader: X-Budget-Ms
        maxConcurrent: 100
        maxQueue: 0
        retry:
          attempts: 3
          backoff: 10ms
          maxBackoff: 1s
          methods: [GET, PUT]
          on: [connect, 503, 429]
          budget: { ratio: 12.5%, minPerSecond: 2, window: 30s }
        breaker:
          consecutiveFailures: 7
          failureRate: 40%
          slowCallRate: 80%
          slowCallDuration: 2s
          window: 20s
          minimumCalls: 50
          openFor: 1m
          halfOpenCalls: 5
        ejection: { time: 10s, maxTime: 2m, maxPercent: 30% }
        """);
    assertThat(u.urls()).containsExactly("http://10.0.0.1:9101", "http://10.0.0.2:9101/api");
    assertThat(u.balance()).isEqualTo(UpstreamSpec.Balance.LEAST_REQUEST);
    assertThat(u.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(u.http2()).isEqualTo(UpstreamSpec.Http2.H2C);
    assertThat(u.deadlineHeader()).isEqualTo("X-Budget-Ms");
    assertThat(u.maxConcurrent()).isEqualTo(100);
    assertThat(u.maxQueue()).isZero();
    assertThat(u.retry())
        .isEqualTo(
            new RetrySpec(
                3,
                Duration.ofMillis(10),
                Duration.ofSeconds(1),
                List.of("GET", "PUT"),
                List.of("connect", "503", "429"),
                new RetrySpec.BudgetSpec(0.125, 2, Duration.ofSeconds(30))));
    assertThat(u.breaker())
        .isEqualTo(
            new BreakerSpec(
                7,
                0.4,
                0.8,
                Duration.ofSeconds(2),
                Duration.ofSeconds(20),
                50,
                Duration.ofMinutes(1),
                5));
    assertThat(u.ejection())
        .isEqualTo(new EjectionSpec(Duration.ofSeconds(10), Duration.ofMinutes(2), 0.3));
  }

  @Test
  void defaultsAreSafeWithoutAnyResilienceKey() {
    UpstreamSpec u = upstream("url: http://127.0.0.1:9101");
    assertThat(u.urls()).containsExactly("http://127.0.0.1:9101");
    assertThat(u.retry()).isEqualTo(RetrySpec.DEFAULT);
    assertThat(u.retry().methods()).containsExactly("GET", "HEAD");
    assertThat(u.breaker()).isEqualTo(BreakerSpec.DEFAULT);
    assertThat(u.ejection()).isEqualTo(EjectionSpec.DEFAULT);
    assertThat(u.ejection().maxPercent()).isEqualTo(0.5);
    assertThat(u.deadlineHeader()).isEqualTo("X-Request-Timeout-Ms");
    assertThat(u.http2()).isEqualTo(UpstreamSpec.Http2.AUTO);
    assertThat(u.maxConcurrent()).isEqualTo(256);
    assertThat(u.maxQueue()).isEqualTo(64);
  }

  @Test
  void offSwitchesTheBreakerAndTheDeadlineHeaderOff() {
    UpstreamSpec u = upstream("url: http://127.0.0.1:9101\nbreaker: off\ndeadlineHeader: \"off\"");
    assertThat(u.breaker()).isNull();
    assertThat(u.deadlineHeader()).isNull();
  }

  @Test
  void urlAndUrlsAreExclusiveAndOneIsRequired() {
    assertThat(errors("url: http://a:1\nurls: [http://b:1]"))
        .containsExactly(
            "medley.yaml:4:5: upstreams.u: both 'url' and 'urls' are set (expected one of them)");
    assertThat(errors("timeout: 1s"))
        .containsExactly(
            "medley.yaml:4:5: upstreams.u: missing required key 'url' (or 'urls' for several instances)");
    assertThat(errors("urls: [http://a:1, http://a:1, ftp://b]"))
        .containsExactly(
            "medley.yaml:4:24: upstreams.u.urls[1]: 'http://a:1' is listed twice (expected each instance once)",
            "medley.yaml:4:36: upstreams.u.urls[2]: 'ftp://b' (expected an http:// or https:// URL without query or fragment)");
  }

  @Test
  void retryRefusesNonIdempotentMethodsAndUnknownConditions() {
    assertThat(errors("url: http://a:1\nretry: { methods: [GET, POST], on: [reset, 404, flaky] }"))
        .containsExactly(
            "medley.yaml:5:29: upstreams.u.retry.methods[1]: 'POST' (expected idempotent methods: GET, HEAD, OPTIONS, PUT, DELETE;"
                + " other calls retry only with an Idempotency-Key header)",
            "medley.yaml:5:48: upstreams.u.retry.on[1]: '404' (expected connect, reset, timeout, 408, 425, 429 or a status from 500 to 599)",
            "medley.yaml:5:53: upstreams.u.retry.on[2]: 'flaky' (expected connect, reset, timeout, 408, 425, 429 or a status from 500 to 599)");
  }

  @Test
  void reportsOutOfRangeValuesWithTheirKey() {
    assertThat(
            errors(
                """
        url: http://a:1
        retry: { attempts: 0, backoff: 500ms, maxBackoff: 100ms, budget: { ratio: 150% } }
        breaker: { failureRate: 0%, window: 1500ms, openFor: 0ms }
        ejection: { maxPercent: half }
        breaker2: x
        """))
        .containsExactlyInAnyOrder(
            "medley.yaml:8:5: upstreams.u.breaker2: unknown key 'breaker2' (did you mean 'breaker'?) (expected one of: url, urls, timeout, maxResponseSize,"
                + " maxConnections, headers, balance, keepAliveTimeout, http2, deadlineHeader, retry, breaker, ejection,"
                + " maxConcurrent, maxQueue, health, coalesce, tls, oauth2, hedge, followRedirects)",
            "medley.yaml:5:55: upstreams.u.retry.maxBackoff: '100ms' is shorter than backoff 500ms (expected maxBackoff >= backoff)",
            "medley.yaml:5:79: upstreams.u.retry.budget.ratio: '150%' (expected a percentage from 0% to 100%, e.g. 20%)",
            "medley.yaml:5:24: upstreams.u.retry.attempts: 0 (expected a whole number from 1 to 10)",
            "medley.yaml:6:29: upstreams.u.breaker.failureRate: '0%' (expected a share above 0%, up to 100%)",
            "medley.yaml:6:41: upstreams.u.breaker.window: '1500ms' (expected whole seconds, e.g. 10s)",
            "medley.yaml:6:58: upstreams.u.breaker.openFor: '0ms' (expected at least 1ms)",
            "medley.yaml:7:29: upstreams.u.ejection.maxPercent: 'half' (expected a percentage from 0% to 100%, e.g. 20%)");
  }

  @Test
  void breakerAcceptsOnlyOffAsAWord() {
    assertThat(errors("url: http://a:1\nbreaker: on"))
        .containsExactly(
            "medley.yaml:5:14: upstreams.u.breaker: 'on' (expected off or a mapping of breaker settings)");
  }
}
