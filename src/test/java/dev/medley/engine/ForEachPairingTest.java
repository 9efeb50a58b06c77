package dev.medley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.medley.config.ConfigError;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.json.Json;
import dev.medley.plan.PlanCompiler;
import dev.medley.plan.RoutePlan;
import dev.medley.plan.Scope;
import dev.medley.testing.MemoryUpstreams;
import dev.medley.testing.Plans;
import dev.medley.time.ManualClock;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Repeated query parameters, batch keys and forEach pairing on the fast tier: the engine on
 * in-memory upstreams, each test asserting the exact request sent and the composed body.
 */
@Tag("fast")
class ForEachPairingTest {
  private final ManualClock clock = new ManualClock();
  private final MemoryUpstreams upstreams = new MemoryUpstreams();

  private Future<Composed> run(RoutePlan route) {
    return new Engine(clock).execute(route, Plans.scope(route, Map.of()), upstreams, "req-1");
  }

  private static String body(Future<Composed> f) {
    assertThat(f.succeeded()).as("composed: %s", f.cause()).isTrue();
    return Json.MAPPER.valueToTree(f.result().body()).toString();
  }

  private static final String ORDER =
      "{\"lines\":[{\"pid\":1,\"qty\":2},{\"pid\":\"1\",\"qty\":5},{\"pid\":2,\"qty\":1},"
          + "{\"pid\":null,\"qty\":9}]}";

  @Test
  void aGetBatchKeyedByQuerySendsEachKeyOnceAndEveryLineGetsItsOwnMergedResult() {
    RoutePlan route =
        Plans.route(
            """
        GET /o:
          steps:
            order: { upstream: a, path: /order }
            lines:
              upstream: b
              forEach: order.lines
              as: line
              path: /products/{line.pid}
              batch:
                method: GET
                path: /products
                query: { id: "{items}" }
                key: line.pid
                resultsAt: data.products
                matchOn: meta.id
              merge: product
          response: { lines: lines }
        """);
    upstreams
        .on("a", MemoryUpstreams.json(ORDER))
        .on(
            "b",
            MemoryUpstreams.json(
                "{\"data\":{\"products\":[{\"meta\":{\"id\":\"2\"},\"n\":\"two\"},"
                    + "{\"meta\":{\"id\":1},\"n\":\"one\"}]}}"));
    String out = body(run(route));
    assertThat(upstreams.calls()).containsExactly("a GET /order", "b GET /products?id=1&id=2");
    assertThat(out)
        .isEqualTo(
            "{\"lines\":["
                + "{\"pid\":1,\"qty\":2,\"product\":{\"meta\":{\"id\":1},\"n\":\"one\"}},"
                + "{\"pid\":\"1\",\"qty\":5,\"product\":{\"meta\":{\"id\":1},\"n\":\"one\"}},"
                + "{\"pid\":2,\"qty\":1,\"product\":{\"meta\":{\"id\":\"2\"},\"n\":\"two\"}},"
                + "{\"pid\":null,\"qty\":9,\"product\":null}]}");
  }

  @Test
  void aKeyMissingFromTheAnswerGetsTheBatchsMissingValueAndSelectSeesItemAndIndex() {
    RoutePlan route =
        Plans.route(
            """
        GET /o:
          steps:
            order: { upstream: a, path: /order }
            lines:
              upstream: b
              forEach: order.lines
              path: /products/{item.pid}
              select: "{'name': result.name, 'qty': item.qty, 'at': index}"
              batch:
                method: POST
                path: /products:batchGet
                body: { ids: "{items}" }
                key: item.pid
                missing: { name: unknown }
          response: { lines: lines }
        """);
    upstreams
        .on("a", MemoryUpstreams.json(ORDER))
        .on("b", MemoryUpstreams.json("{\"1\":{\"name\":\"one\"}}"));
    String out = body(run(route));
    assertThat(upstreams.requests().get(1).body().toString()).isEqualTo("{\"ids\":[1,2]}");
    assertThat(out)
        .as("results given as an object are looked up by key; 2 and the null key are missing")
        .isEqualTo(
            "{\"lines\":[{\"name\":\"one\",\"qty\":2,\"at\":0},{\"name\":\"one\",\"qty\":5,\"at\":1},"
                + "{\"name\":\"unknown\"},{\"name\":\"unknown\"}]}");
  }

  @Test
  void equalLookingItemsAreCalledEachAndMergedEachIntoTheirOwnCopy() {
    RoutePlan route =
        Plans.route(
            """
        GET /o:
          steps:
            order: { upstream: a, path: /order }
            seats:
              upstream: b
              forEach: order.seats
              path: /seats/{item.row}
              merge: true
          response: { seats: seats, order: order.seats }
        """);
    AtomicInteger n = new AtomicInteger();
    upstreams
        .on("a", MemoryUpstreams.json("{\"seats\":[{\"row\":7},{\"row\":7}]}"))
        .on(
            "b",
            r ->
                Future.succeededFuture(
                    MemoryUpstreams.response(200, "{\"ticket\":" + n.incrementAndGet() + "}")));
    String out = body(run(route));
    assertThat(upstreams.calls())
        .containsExactly("a GET /order", "b GET /seats/7", "b GET /seats/7");
    assertThat(out)
        .isEqualTo(
            "{\"seats\":[{\"row\":7,\"ticket\":1},{\"row\":7,\"ticket\":2}],"
                + "\"order\":[{\"row\":7},{\"row\":7}]}");
  }

  @Test
  void mergeTrueOfANonObjectResultFailsTheStepWithAReason() {
    RoutePlan route =
        Plans.route(
            """
        GET /o:
          steps:
            order: { upstream: a, path: /order }
            seats:
              upstream: b
              forEach: order.seats
              path: /seats/{item.row}
              merge: true
              optional: []
          response: { seats: seats }
        """);
    upstreams
        .on("a", MemoryUpstreams.json("{\"seats\":[{\"row\":7}]}"))
        .on("b", MemoryUpstreams.json("42"));
    Future<Composed> f = run(route);
    assertThat(body(f)).isEqualTo("{\"seats\":[],\"_partial\":true}");
    assertThat(f.result().degraded()).containsExactly("seats");
  }

  @Test
  void aRepeatedQueryParameterIsAListInExpressionsAndRepeatedUpstream() {
    RoutePlan route =
        Plans.route(
            """
        GET /s:
          query:
            b: { type: integer, repeated: true }
            q: {}
            tag: { repeated: true }
          steps:
            search:
              upstream: a
              path: /search
              query: { b: "{query.b}", tag: "{query.tag}", q: "{query.q}", first: "{query.b.0}" }
              skipEmptyQuery: true
          response: { doubled: "query.b.map(x, x * 2)", n: "size(query.tag)", all: "{'b': query['b'], 'q': query['q']}" }
        """);
    upstreams.on("a", MemoryUpstreams.json("{}"));
    Scope scope =
        new Scope(
            Map.of(),
            Map.of("q", ""),
            Map.of("b", List.of("2", "3"), "tag", List.of()),
            Map.of(),
            JsonNodeFactory.instance.objectNode(),
            null,
            route.steps().length);
    Future<Composed> f = new Engine(clock).execute(route, scope, upstreams, "req-1");
    assertThat(body(f)).isEqualTo("{\"doubled\":[4,6],\"n\":0,\"all\":{\"b\":[2,3],\"q\":\"\"}}");
    assertThat(upstreams.calls())
        .as("the empty list and the empty text are left out")
        .containsExactly("a GET /search?b=2&b=3&first=2");
  }

  @Test
  void misuseIsALocatedLoadError() {
    List<String> e =
        errors(
            """
        GET /s:
          query:
            b: { repeated: true, default: "1" }
            c: { maxItems: 3 }
          steps:
            one: { upstream: a, path: /one, merge: true }
            many:
              upstream: a
              forEach: one.ids
              path: /x/{item}
              batch: { method: GET, path: /x, body: { ids: "{items}" } }
            silent:
              upstream: a
              forEach: one.ids
              path: /x/{item}
              batch: { method: GET, path: /x, query: { id: "{item}" } }
        """);
    assertThat(e)
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith("t.yaml:9:41: ")
                    .contains("a repeated parameter has no default"))
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith("t.yaml:10:26: ")
                    .contains("maxItems only applies with repeated: true"))
        .anySatisfy(m -> assertThat(m).startsWith("t.yaml:12:50: ").contains("merge needs forEach"))
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith("t.yaml:17:51: ")
                    .contains("a GET batch call sends no body"))
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith("t.yaml:22:20: ")
                    .contains("the batch call never sends its items"));
  }

  @Test
  void indexIsRefusedWhereAStepOfThatNameWouldBeShadowed() {
    List<String> e =
        errors(
            """
        GET /s:
          steps:
            index: { upstream: a, path: /index }
            many:
              upstream: a
              forEach: index.ids
              path: /x/{item}
              select: "result.n + index"
        """);
    assertThat(e).anySatisfy(m -> assertThat(m).contains("'index' is both a step"));
  }

  private static List<String> errors(String routes) {
    String yaml =
        """
        version: 1
        upstreams:
          a: { url: "http://127.0.0.1:9" }
        experiences:
          web:
            routes:
        """
            + routes.indent(6);
    ConfigLoader.Result r = new ConfigLoader(Env.of(Map.of())).parse(yaml, "t.yaml");
    List<String> out = new ArrayList<>();
    r.errors().forEach(x -> out.add(x.toString()));
    if (out.isEmpty()) {
      PlanCompiler.compile(r.spec(), "v").errors().stream()
          .map(ConfigError::toString)
          .forEach(out::add);
    }
    return out;
  }
}
