package dev.medley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.config.ConfigError;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.json.Json;
import dev.medley.observe.Metrics;
import dev.medley.plan.PlanCompiler;
import dev.medley.plan.RoutePlan;
import dev.medley.testing.MemoryUpstreams;
import dev.medley.testing.Plans;
import dev.medley.time.ManualClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Shadow steps and a route's static data on the fast engine tier: in-memory upstreams, a {@link
 * ManualClock}, every future completed on the test thread. Hedging is a policy and is tested in
 * {@code HedgePolicyTest}; what needs sockets is in {@code CallPatternsSocketTest}.
 */
@Tag("fast")
class CallPatternsTest {
  private final ManualClock clock = new ManualClock();
  private final MemoryUpstreams upstreams = new MemoryUpstreams();
  private final List<String> counted = new CopyOnWriteArrayList<>();
  private final Metrics metrics =
      new Metrics() {
        @Override
        public void retry(String upstream) {}

        @Override
        public void breakerTransition(
            String upstream,
            dev.medley.observe.BreakerState from,
            dev.medley.observe.BreakerState to) {}

        @Override
        public void cache(dev.medley.observe.CacheLayer l, dev.medley.observe.CacheResult r) {}

        @Override
        public void rateLimited(String experience) {}

        @Override
        public void shadow(String route, String step, String outcome) {
          counted.add(step + " " + outcome);
        }
      };
  private final Engine engine = new Engine(clock, StepCache.NONE, metrics);

  private Future<Composed> run(RoutePlan route, String id) {
    return engine.execute(route, Plans.scope(route, Map.of("id", id)), upstreams, "req-" + id);
  }

  private static String body(Future<Composed> f) {
    assertThat(f.succeeded()).as("composed: %s", f.cause()).isTrue();
    return Json.MAPPER.valueToTree(f.result().body()).toString();
  }

  private static final String SHADOWED =
      """
      GET /p/{id}:
        steps:
          product: { upstream: a, path: "/products/{id}" }
          next: { upstream: b, path: "/v2/products/{id}/{product.sku}", shadow: true }
        response: { name: product.name }
      """;

  @Test
  void aShadowStepIsSentAfterWhatItReadsButTheAnswerNeverWaitsForIt() {
    RoutePlan route = Plans.route(SHADOWED);
    upstreams.hold("a").hold("b");
    Future<Composed> f = run(route, "7");
    assertThat(upstreams.calls())
        .as("the shadow waits for product")
        .containsExactly("a GET /products/7");
    upstreams.held("/products/7").json("{\"name\":\"Shoe\",\"sku\":\"S-1\"}");
    assertThat(upstreams.calls())
        .as("sent with its own templates, reading product")
        .containsExactly("a GET /products/7", "b GET /v2/products/7/S-1");
    // The shadow call is still held: the answer is complete anyway, and not partial.
    assertThat(body(f)).isEqualTo("{\"name\":\"Shoe\"}");
    assertThat(f.result().degraded()).isEmpty();
    assertThat(f.result().trace())
        .filteredOn(t -> t.step().equals("next"))
        .singleElement()
        .satisfies(t -> assertThat(t.outcome()).isEqualTo("shadow"));
    assertThat(counted).as("counted only when it ends").isEmpty();
    upstreams.held("/v2/products/7/S-1").json("{\"name\":\"Shoe v2\"}");
    assertThat(counted).containsExactly("next ok");
  }

  @Test
  void aFailingShadowIsOnlyCountedAndATimedOutOneToo() {
    RoutePlan route = Plans.route(SHADOWED);
    upstreams.on("a", MemoryUpstreams.json("{\"name\":\"Shoe\",\"sku\":\"S-1\"}"));
    upstreams.on("b", MemoryUpstreams.status(500));
    Future<Composed> f = run(route, "7");
    assertThat(body(f)).isEqualTo("{\"name\":\"Shoe\"}");
    assertThat(f.result().degraded()).isEmpty();
    assertThat(counted).containsExactly("next failed");
  }

  @Test
  void aShadowCallHasItsOwnTimeBudgetNotTheRouteDeadline() {
    RoutePlan route =
        Plans.route(
            """
            GET /p/{id}:
              deadline: 5s
              steps:
                product: { upstream: a, path: "/products/{id}" }
                next: { upstream: b, path: "/v2/products/{id}", shadow: true, timeout: 200ms }
              response: { name: product.name }
            """);
    upstreams.on("a", MemoryUpstreams.json("{\"name\":\"Shoe\"}")).hold("b");
    long start = clock.nanoTime();
    assertThat(body(run(route, "7"))).isEqualTo("{\"name\":\"Shoe\"}");
    assertThat(upstreams.held("/v2/products/7").request().deadlineNanos() - start)
        .as("no attempt of the shadow runs past its own timeout")
        .isEqualTo(Duration.ofMillis(200).toNanos());
  }

  @Test
  void beyondMaxInFlightShadowCallsAreDroppedAndCounted() {
    RoutePlan route =
        Plans.route(
            """
            GET /p/{id}:
              steps:
                product: { upstream: a, path: "/products/{id}" }
                next: { upstream: b, path: "/v2/{id}", shadow: { maxInFlight: 2 } }
              response: { name: product.name }
            """);
    upstreams.on("a", MemoryUpstreams.json("{\"name\":\"Shoe\"}")).hold("b");
    for (int i = 1; i <= 3; i++) {
      assertThat(body(run(route, "" + i))).isEqualTo("{\"name\":\"Shoe\"}");
    }
    assertThat(upstreams.held()).hasSize(2);
    assertThat(counted).containsExactly("next dropped");
    upstreams.held("/v2/1").json("{}");
    run(route, "4");
    assertThat(upstreams.held()).as("a slot came free").hasSize(2);
    assertThat(upstreams.calls()).contains("b GET /v2/4").doesNotContain("b GET /v2/3");
  }

  @Test
  void aShareSendsExactlyThatShareOfRequests() {
    RoutePlan route =
        Plans.route(
            """
            GET /p/{id}:
              steps:
                product: { upstream: a, path: "/products/{id}" }
                next: { upstream: b, path: "/v2/{id}", shadow: { share: 25% } }
              response: { name: product.name }
            """);
    upstreams.on("a", MemoryUpstreams.json("{\"name\":\"Shoe\"}"));
    upstreams.on("b", MemoryUpstreams.json("{}"));
    for (int i = 1; i <= 8; i++) {
      run(route, "" + i);
    }
    assertThat(upstreams.calls())
        .filteredOn(c -> c.startsWith("b "))
        .containsExactly("b GET /v2/4", "b GET /v2/8");
  }

  @Test
  void noShadowIsSentWhenTheAnswerFailedAndTheDeadlineNeverWaitsForOne() {
    RoutePlan route =
        Plans.route(
            """
            GET /p/{id}:
              deadline: 100ms
              steps:
                product: { upstream: a, path: "/products/{id}" }
                price: { upstream: c, path: "/prices/{id}" }
                next: { upstream: b, path: "/v2/{product.sku}", shadow: true }
              response: { name: product.name }
            """);
    upstreams.hold("a").on("c", MemoryUpstreams.status(500));
    Future<Composed> f = run(route, "7");
    assertThat(f.failed()).isTrue();
    upstreams.held("/products/7").json("{\"sku\":\"S\"}");
    assertThat(upstreams.calls()).noneMatch(c -> c.startsWith("b "));

    // A shadow with nothing to wait for, held past the deadline: the answer is not a 504.
    RoutePlan quick =
        Plans.route(
            """
            GET /p/{id}:
              deadline: 100ms
              steps:
                product: { upstream: a, path: "/products/{id}" }
                next: { upstream: b, path: "/v2/{id}", shadow: true }
              response: { name: product.name }
            """);
    upstreams.on("a", MemoryUpstreams.json("{\"name\":\"Shoe\"}")).hold("b");
    Future<Composed> g = run(quick, "8");
    clock.advance(Duration.ofMillis(150));
    assertThat(body(g)).isEqualTo("{\"name\":\"Shoe\"}");
  }

  private static final String STATIC =
      """
      GET /p/{id}:
        steps:
          product: { upstream: a, path: "/products/{id}" }
          reviews: { upstream: b, path: "/reviews/{id}", optional: [] }
        response: { name: product.name, reviews: reviews }
        static:
          on: %s
          data: { support: "help@example.com", links: { home: "/" } }
      """;

  @Test
  void staticDataIsMergedIntoCompletePartialAndFailedAnswersByDefault() {
    RoutePlan route = Plans.route(STATIC.formatted("always"));
    upstreams.on("a", MemoryUpstreams.json("{\"name\":\"Shoe\"}"));
    upstreams.on("b", MemoryUpstreams.json("[1]"));
    assertThat(body(run(route, "1")))
        .isEqualTo(
            "{\"name\":\"Shoe\",\"reviews\":[1],\"support\":\"help@example.com\","
                + "\"links\":{\"home\":\"/\"}}");
    upstreams.on("b", MemoryUpstreams.status(503));
    assertThat(body(run(route, "2")))
        .isEqualTo(
            "{\"name\":\"Shoe\",\"reviews\":[],\"support\":\"help@example.com\","
                + "\"links\":{\"home\":\"/\"},\"_partial\":true}");
    upstreams.on("a", MemoryUpstreams.status(500));
    Future<Composed> failed = run(route, "3");
    assertThat(failed.failed()).isTrue();
    assertThat(((RouteFailure) failed.cause()).members().toString())
        .isEqualTo("{\"support\":\"help@example.com\",\"links\":{\"home\":\"/\"}}");
  }

  @Test
  void staticOnPartialAndFailedOnlyLeavesCompleteAnswersAlone() {
    RoutePlan route = Plans.route(STATIC.formatted("[partial, failed]"));
    upstreams.on("a", MemoryUpstreams.json("{\"name\":\"Shoe\"}"));
    upstreams.on("b", MemoryUpstreams.json("[1]"));
    assertThat(body(run(route, "1"))).isEqualTo("{\"name\":\"Shoe\",\"reviews\":[1]}");
    upstreams.on("b", MemoryUpstreams.status(503));
    assertThat(body(run(route, "2"))).contains("\"support\":\"help@example.com\"");
    RoutePlan complete = Plans.route(STATIC.formatted("complete"));
    upstreams.on("a", MemoryUpstreams.status(500));
    assertThat(((RouteFailure) run(complete, "3").cause()).members()).isNull();
  }

  // ---- load errors ----

  private static List<String> errors(String routes, String upstreamExtra) {
    String yaml =
        """
        version: 1
        upstreams:
          a: { url: "http://127.0.0.1:9" }
          b: { url: "http://127.0.0.1:9"%s }
        experiences:
          web:
            routes:
        """
                .formatted(upstreamExtra)
            + routes.indent(6);
    ConfigLoader.Result r = new ConfigLoader(Env.of(Map.of())).parse(yaml, "t.yaml");
    List<ConfigError> e =
        r.errors().isEmpty() ? PlanCompiler.compile(r.spec(), "v").errors() : r.errors();
    return e.stream().map(ConfigError::format).toList();
  }

  @Test
  void readingAShadowStepIsALocatedLoadError() {
    assertThat(
            errors(
                """
                GET /p/{id}:
                  steps:
                    next: { upstream: b, path: "/v2/{id}", shadow: true }
                    price: { upstream: a, path: "/prices/{next.id}" }
                  response: { id: next.id }
                """,
                ""))
        .containsExactlyInAnyOrder(
            "t.yaml:11:18: experiences.web.routes[\"GET /p/{id}\"].steps.price: step 'price' reads"
                + " shadow step 'next', whose result is never available (a shadow step is sent"
                + " but never awaited; remove shadow: from it, or read another step)",
            "t.yaml:12:19: experiences.web.routes[\"GET /p/{id}\"].response: the response reads"
                + " shadow step 'next', whose result is never available (a shadow step is sent"
                + " but never awaited; remove shadow: from it, or leave it out of the response)");
  }

  @Test
  void misusedCallPatternKeysAreLocatedErrors() {
    assertThat(
            errors(
                """
                GET /p/{id}:
                  steps:
                    next: { upstream: b, path: "/v2/{id}", shadow: { share: 120% }, optional: null }
                    other: { upstream: b, path: "/v3/{id}", shadow: maybe }
                  static: { data: { status: up }, on: [sometimes, failed] }
                """,
                ", hedge: { after: 50ms, methods: [GET, POST] }"))
        .containsExactlyInAnyOrder(
            "t.yaml:4:72: upstreams.b.hedge.methods[1]: 'POST' is never hedged: a second POST"
                + " could apply twice (expected idempotent methods: GET, HEAD, OPTIONS, PUT,"
                + " DELETE)",
            "t.yaml:10:67: experiences.web.routes[\"GET /p/{id}\"].steps.next.shadow.share:"
                + " '120%' (expected a percentage from 0% to 100%, e.g. 20%)",
            "t.yaml:11:59: experiences.web.routes[\"GET /p/{id}\"].steps.other.shadow: 'maybe'"
                + " (expected true, false or a mapping with share and maxInFlight)",
            "t.yaml:12:27: experiences.web.routes[\"GET /p/{id}\"].static.data.status: 'status'"
                + " would overwrite a problem+json member on failed answers (rename it, or leave"
                + " failed out of static.on)",
            "t.yaml:12:46: experiences.web.routes[\"GET /p/{id}\"].static.on[0]: 'sometimes'"
                + " (expected always, or any of: complete, partial, failed)");
    assertThat(
            errors(
                """
                GET /p/{id}:
                  steps:
                    next: { upstream: b, path: "/v2/{id}", shadow: true, optional: null }
                    product: { upstream: a, path: "/p/{id}" }
                  response: { name: product.name }
                  static: { data: { name: x } }
                """,
                ""))
        .containsExactlyInAnyOrder(
            "t.yaml:10:17: experiences.web.routes[\"GET /p/{id}\"].steps.next.optional: a shadow"
                + " step is never awaited and never makes the answer partial, so optional has no"
                + " meaning (remove optional or shadow)",
            "t.yaml:13:17: experiences.web.routes[\"GET /p/{id}\"].static.data.name: 'name' is"
                + " also a member of the response (rename one of them: static members are merged"
                + " beside the response's own)");
  }
}
