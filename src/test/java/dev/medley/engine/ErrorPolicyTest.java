package dev.medley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.plan.RoutePlan;
import dev.medley.testing.MemoryUpstreams;
import dev.medley.testing.Plans;
import dev.medley.time.ManualClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The merge rule of {@code passErrors} (the first failed critical step in declaration order
 * answers, whatever finished first, the deadline included) and {@code allOptionalFailed}, on
 * in-memory upstreams and a manual clock.
 */
@Tag("fast")
class ErrorPolicyTest {
  private final ManualClock clock = new ManualClock();
  private final MemoryUpstreams upstreams = new MemoryUpstreams();

  private Future<Composed> run(RoutePlan route) {
    return new Engine(clock).execute(route, Plans.scope(route, Map.of("id", "7")), upstreams, "r");
  }

  private static RouteFailure failure(Future<Composed> f) {
    assertThat(f.failed()).as("failed").isTrue();
    return (RouteFailure) f.cause();
  }

  private static final String TWO_CRITICAL =
      """
      GET /o/{id}:
        deadline: 100ms
        %s
        steps:
          order: { upstream: a, path: "/orders/{id}" }
          payment: { upstream: b, path: "/payments/{id}" }
          receipt: { upstream: c, path: "/receipts/{payment.id}" }
      """;

  @Test
  void withoutPassErrorsTheFirstFailureAnswersAtOnce() {
    RoutePlan route = Plans.route(TWO_CRITICAL.formatted(""));
    upstreams.on("b", MemoryUpstreams.status(404)).hold("a");
    RouteFailure e = failure(run(route));
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.step()).isEqualTo("payment");
  }

  @Test
  void aLaterDeclaredFailureWaitsForTheEarlierStepAndLosesToIt() {
    RoutePlan route = Plans.route(TWO_CRITICAL.formatted("passErrors: [4xx]"));
    upstreams.on("b", MemoryUpstreams.status(404)).hold("a");
    Future<Composed> f = run(route);
    assertThat(f.isComplete()).as("order is still running").isFalse();
    upstreams.held("/orders/7").status(409);
    RouteFailure e = failure(f);
    assertThat(e.status()).isEqualTo(409);
    assertThat(e.step()).isEqualTo("order");
    assertThat(e.passed()).isNotNull();
  }

  @Test
  void anEarlierDeclaredFailureWinsAndNoNewStepStartsMeanwhile() {
    RoutePlan route = Plans.route(TWO_CRITICAL.formatted("passErrors: [4xx]"));
    upstreams.on("a", MemoryUpstreams.status(404)).hold("b");
    Future<Composed> f = run(route);
    assertThat(f.isComplete()).as("payment is still running").isFalse();
    upstreams.held("/payments/7").json("{\"id\":\"p1\"}");
    RouteFailure e = failure(f);
    assertThat(e.status()).isEqualTo(404);
    assertThat(e.step()).isEqualTo("order");
    assertThat(upstreams.calls()).as("receipt never starts").hasSize(2);
  }

  @Test
  void anEarlierStepRunningAtTheDeadlineAnswers504AndOneThatFailedEarlierStillWins() {
    RoutePlan route = Plans.route(TWO_CRITICAL.formatted("passErrors: [4xx]"));
    upstreams.on("b", MemoryUpstreams.status(404)).hold("a");
    Future<Composed> f = run(route);
    clock.advance(Duration.ofMillis(100));
    RouteFailure e = failure(f);
    assertThat(e.status()).isEqualTo(504);
    assertThat(e.step()).isEqualTo("order");

    upstreams.on("a", MemoryUpstreams.status(404)).hold("b");
    Future<Composed> g = run(route);
    clock.advance(Duration.ofMillis(100));
    RouteFailure e2 = failure(g);
    assertThat(e2.status()).isEqualTo(404);
    assertThat(e2.step()).isEqualTo("order");
  }

  @Test
  void aStepSkippedByWhenDoesNotCountAsAFailedOptionalStep() {
    RoutePlan route =
        Plans.route(
            """
            GET /home/{id}:
              allOptionalFailed: fail
              steps:
                news: { upstream: a, path: /news, optional: [] }
                offers: { upstream: b, path: /offers, optional: [], when: "false" }
            """);
    upstreams.on("a", MemoryUpstreams.status(500));
    RouteFailure e = failure(run(route));
    assertThat(e.status()).isEqualTo(502);
    assertThat(e.getMessage()).isEqualTo("every optional step failed: news");

    upstreams.on("a", MemoryUpstreams.json("[]"));
    assertThat(run(route).succeeded()).isTrue();
  }

  @Test
  void onlyJsonAndPlainTextBodiesPassAndOnlyValidRetryAfterValues() {
    assertThat(PassThrough.allowedType("application/json")).isTrue();
    assertThat(PassThrough.allowedType("application/problem+json; charset=utf-8")).isTrue();
    assertThat(PassThrough.allowedType("Text/Plain")).isTrue();
    assertThat(PassThrough.allowedType("text/html")).isFalse();
    assertThat(PassThrough.allowedType("application/xml")).isFalse();
    assertThat(PassThrough.allowedType(null)).isFalse();
    assertThat(PassThrough.retryAfter(" 30 ")).isEqualTo("30");
    assertThat(PassThrough.retryAfter("Wed, 21 Oct 2026 07:28:00 GMT"))
        .isEqualTo("Wed, 21 Oct 2026 07:28:00 GMT");
    assertThat(PassThrough.retryAfter("-1")).isNull();
    assertThat(PassThrough.retryAfter("soon")).isNull();
  }
}
