package dev.medley.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Shaping forms in a response ({@code $from}, {@code $each}, {@code $merge}, {@code $flatten} with
 * {@code $pick}, {@code $except}, {@code $rename}, {@code $shape}): exact answers for the shapes
 * other gateways' users write, the run-time failures a client is told about, and the located load
 * errors for misuse. Fast tier: step results are set on the scope or answered by in-memory
 * upstreams.
 */
@Tag("fast")
class ShapingTest {
  private static final String PRODUCT =
      """
      {"id": 1, "name": "Mug", "internal": {"rev": 7}, "cost": {"amount": 5, "margin": 2},
       "items": [{"sku": "a", "supplierId": 9}, {"sku": "b", "supplierId": 8}],
       "variants": [{"id": 10, "name": "S", "price": 3, "stock": 4},
                    {"id": 11, "name": "L", "price": 4, "stock": 0, "note": "last"}]}
      """;
  private static final String ORDERS =
      """
      {"list": [{"id": "o1", "lines": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": 2}]},
                {"id": "o2", "lines": [{"sku": "c", "qty": 3}]},
                {"id": "o3", "lines": []}]}
      """;
  private static final String PRICE = "{\"amount\": 3.5, \"currency\": \"EUR\", \"id\": 99}";

  /** The route's answer with product, orders and price set to the data above. */
  private static String render(String response) throws Exception {
    return renderScope(response).body;
  }

  private record Rendered(String body, List<Scope.FieldFailure> failures, JsonNode product) {}

  private static Rendered renderScope(String response) throws Exception {
    RoutePlan route = route(response);
    Scope s = Plans.scope(route, Map.of("id", "1"));
    JsonNode product = Json.MAPPER.readTree(PRODUCT);
    s.setStep(0, product);
    s.setStep(1, Json.MAPPER.readTree(ORDERS));
    s.setStep(2, Json.MAPPER.readTree(PRICE));
    String body = route.response().render(s).toString();
    return new Rendered(body, s.failures(), product);
  }

  private static RoutePlan route(String response) {
    return Plans.route(routes(response));
  }

  private static String routes(String response) {
    return """
        GET /p/{id}:
          steps:
            product: { upstream: a, path: "/products/{id}" }
            orders: { upstream: b, path: "/orders" }
            price: { upstream: c, path: "/prices/{id}" }
          response:
        """
        + response.indent(4);
  }

  private static List<ConfigError> errors(String response) {
    String yaml =
        """
        version: 1
        upstreams:
          a: { url: "http://127.0.0.1:9" }
          b: { url: "http://127.0.0.1:9" }
          c: { url: "http://127.0.0.1:9" }
        experiences:
          web:
            routes:
        """
            + routes(response).indent(6);
    ConfigLoader.Result r = new ConfigLoader(Env.of(Map.of())).parse(yaml, "t.yaml");
    assertThat(r.errors()).as("structural errors").isEmpty();
    return PlanCompiler.compile(r.spec(), "v").errors();
  }

  private static List<String> formatted(String response) {
    return errors(response).stream().map(ConfigError::format).toList();
  }

  // --- everything except ---

  @Test
  void exceptRemovesNestedPathsAndUnderListsEveryElementLeavingTheStepResultAsItWas()
      throws Exception {
    Rendered r =
        renderScope(
            """
            $from: product
            $except: [internal, cost.margin, "items[*].supplierId", variants, absent.deeper, name.first]
            """);
    assertThat(r.body())
        .isEqualTo(
            "{\"id\":1,\"name\":\"Mug\",\"cost\":{\"amount\":5},"
                + "\"items\":[{\"sku\":\"a\"},{\"sku\":\"b\"}]}");
    assertThat(r.failures()).as("an absent path is no failure").isEmpty();
    assertThat(r.product())
        .as("the step result is shared, never edited")
        .isEqualTo(Json.MAPPER.readTree(PRODUCT));
  }

  @Test
  void aPathThroughAListNeedsNoStarAndAFormNestsInsideAnObject() throws Exception {
    assertThat(
            render(
                """
                product: { $from: product, $except: [items.supplierId, variants, internal, cost] }
                currency: price.currency
                """))
        .isEqualTo(
            "{\"product\":{\"id\":1,\"name\":\"Mug\",\"items\":[{\"sku\":\"a\"},{\"sku\":\"b\"}]},"
                + "\"currency\":\"EUR\"}");
  }

  @Test
  void addedFieldsSitBesideTheKeptOnesAndMayReplaceOne() throws Exception {
    assertThat(
            render(
                """
                $from: price
                $except: [id]
                amount: "price.amount * 2"
                label: "'per unit'"
                """))
        .isEqualTo("{\"amount\":7.0,\"currency\":\"EUR\",\"label\":\"per unit\"}");
  }

  // --- per-element projection ---

  @Test
  void eachPicksTheListedFieldsOfEveryElementInPickOrder() throws Exception {
    assertThat(render("variants: { $each: product.variants, $pick: [price, id, name] }"))
        .isEqualTo(
            "{\"variants\":[{\"price\":3,\"id\":10,\"name\":\"S\"},"
                + "{\"price\":4,\"id\":11,\"name\":\"L\"}]}");
  }

  @Test
  void eachEditsAndAddsFieldsComputedFromTheNamedElement() throws Exception {
    assertThat(
            render(
                """
                $each: product.variants
                $as: v
                $except: [stock, note]
                inStock: "v.stock > 0"
                """))
        .isEqualTo(
            "[{\"id\":10,\"name\":\"S\",\"price\":3,\"inStock\":true},"
                + "{\"id\":11,\"name\":\"L\",\"price\":4,\"inStock\":false}]");
  }

  @Test
  void nestedEachShapesSeeTheirOwnElementAndTheEnclosingOne() throws Exception {
    assertThat(
            render(
                """
                orders:
                  $each: orders.list
                  $as: o
                  $shape:
                    id: o.id
                    count: size(o.lines)
                    lines:
                      $each: o.lines
                      $as: l
                      $shape: { sku: l.sku, order: o.id, line: "o.id + '/' + l.sku" }
                """))
        .isEqualTo(
            "{\"orders\":[{\"id\":\"o1\",\"count\":2,\"lines\":["
                + "{\"sku\":\"a\",\"order\":\"o1\",\"line\":\"o1/a\"},"
                + "{\"sku\":\"b\",\"order\":\"o1\",\"line\":\"o1/b\"}]},"
                + "{\"id\":\"o2\",\"count\":1,\"lines\":[{\"sku\":\"c\",\"order\":\"o2\",\"line\":\"o2/c\"}]},"
                + "{\"id\":\"o3\",\"count\":0,\"lines\":[]}]}");
  }

  @Test
  void theElementIsNamedItemUnlessAsNamesIt() throws Exception {
    assertThat(render("names: { $each: product.variants, $shape: item.name }"))
        .isEqualTo("{\"names\":[\"S\",\"L\"]}");
  }

  @Test
  void celMapGivesTheSameProjectionAsAnExpression() throws Exception {
    assertThat(render("v: \"product.variants.map(v, {'id': v.id, 'name': v.name})\""))
        .isEqualTo("{\"v\":[{\"id\":10,\"name\":\"S\"},{\"id\":11,\"name\":\"L\"}]}");
  }

  @Test
  void aNullListGivesNullAndIsNoFailure() throws Exception {
    Rendered r =
        renderScope(
            """
            a: { $each: product.missing, $pick: [id] }
            b: { $from: product.missing, $except: [id] }
            c: { $flatten: product.missing }
            """);
    assertThat(r.body()).isEqualTo("{\"a\":null,\"b\":null,\"c\":null}");
    assertThat(r.failures()).isEmpty();
  }

  @Test
  void aNonListOrNonObjectIsNullAndNamedAsAFailedFieldNeverSilent() throws Exception {
    Rendered r =
        renderScope(
            """
            a: { $each: product.name, $pick: [id] }
            b: { $from: product.items, $except: [sku] }
            c: { $each: product.items, $as: i, $shape: { n: "i.sku * 2" } }
            d: { $flatten: product.cost }
            e: { $each: "[1, 2]", $pick: [id] }
            """);
    assertThat(r.body())
        .isEqualTo(
            "{\"a\":null,\"b\":null,\"c\":[{\"n\":null},{\"n\":null}]," + "\"d\":null,\"e\":null}");
    assertThat(r.failures())
        .extracting(Scope.FieldFailure::field)
        .as("a field failing for every element is named once")
        .containsExactly("a", "b", "c[*].n", "d", "e");
    assertThat(r.failures().get(0).detail()).isEqualTo("$each gives a string, not a list");
    assertThat(r.failures().get(0).where()).startsWith("t.yaml:");
    assertThat(r.failures().get(1).detail())
        .isEqualTo("$from gives a list, not an object (use $each)");
    assertThat(r.failures().get(4).detail())
        .isEqualTo("element 0 of $each is a number, not an object");
  }

  @Test
  void aFailedFormMarksTheAnswerPartialAndIsNamedInTheDegradedList() {
    ManualClock clock = new ManualClock();
    MemoryUpstreams upstreams = new MemoryUpstreams();
    RoutePlan route =
        Plans.route(
            """
            GET /p/{id}:
              steps:
                product: { upstream: a, path: "/products/{id}" }
              response:
                name: product.name
                variants: { $each: product.variants, $pick: [id] }
            """);
    upstreams.on("a", MemoryUpstreams.json("{\"name\":\"Mug\",\"variants\":\"none\"}"));
    Future<Composed> f =
        new Engine(clock).execute(route, Plans.scope(route, Map.of("id", "7")), upstreams, "r1");
    assertThat(upstreams.calls()).containsExactly("a GET /products/7");
    assertThat(f.succeeded()).isTrue();
    assertThat(Json.MAPPER.valueToTree(f.result().body()).toString())
        .isEqualTo("{\"name\":\"Mug\",\"variants\":null,\"_partial\":true}");
    assertThat(f.result().degraded()).containsExactly("response.variants");
  }

  @Test
  void aPartialMarkLandsOnTheAnswerNeverOnTheStepResultEvenWhenNothingWasRemoved() {
    MemoryUpstreams upstreams = new MemoryUpstreams();
    RoutePlan route =
        Plans.route(
            """
            GET /p/{id}:
              steps:
                product: { upstream: a, path: "/products/{id}" }
                reviews: { upstream: b, path: "/reviews/{id}", optional: null }
              response: { $from: product, $except: [internal] }
            """);
    upstreams
        .on("a", MemoryUpstreams.json("{\"name\":\"Mug\"}"))
        .on("b", MemoryUpstreams.status(500));
    Scope scope = Plans.scope(route, Map.of("id", "7"));
    Future<Composed> f = new Engine(new ManualClock()).execute(route, scope, upstreams, "r1");
    assertThat(Json.MAPPER.valueToTree(f.result().body()).toString())
        .isEqualTo("{\"name\":\"Mug\",\"_partial\":true}");
    assertThat(scope.step(0).toString()).isEqualTo("{\"name\":\"Mug\"}");
  }

  // --- rename, group, merge, flatten ---

  @Test
  void renameKeepsTheFieldsPlaceAndWorksInsideObjectsAndLists() throws Exception {
    assertThat(
            render(
                """
                $from: product
                $pick: [id, name, cost.amount, items.sku]
                $rename: { name: title, cost.amount: price, "items[*].sku": code }
                """))
        .isEqualTo(
            "{\"id\":1,\"title\":\"Mug\",\"cost\":{\"price\":5},"
                + "\"items\":[{\"code\":\"a\"},{\"code\":\"b\"}]}");
  }

  @Test
  void mergeCombinesObjectsLaterWinningAndGroupIsAPlainKey() throws Exception {
    assertThat(
            render(
                """
                merged: { $merge: [product, price, "product.missing"], $pick: [id, name, amount] }
                grouped: { pricing: price.amount }
                """))
        .isEqualTo(
            "{\"merged\":{\"id\":99,\"name\":\"Mug\",\"amount\":3.5},"
                + "\"grouped\":{\"pricing\":3.5}}");
  }

  @Test
  void flattenSplicesListsOneLevel() throws Exception {
    assertThat(render("lines: { $flatten: \"orders.list.map(o, o.lines)\" }"))
        .isEqualTo(
            "{\"lines\":[{\"sku\":\"a\",\"qty\":1},{\"sku\":\"b\",\"qty\":2},{\"sku\":\"c\",\"qty\":3}]}");
    assertThat(render("x: { $flatten: \"[[1, [2]], 3, [], [4]]\" }"))
        .isEqualTo("{\"x\":[1,[2],3,4]}");
  }

  @Test
  void aDoubleDollarWritesALiteralFieldStartingWithADollar() throws Exception {
    assertThat(render("{ $$schema: \"'https://example.com/s'\", id: product.id }"))
        .isEqualTo("{\"$schema\":\"https://example.com/s\",\"id\":1}");
  }

  // --- misuse: located load errors ---

  @Test
  void aMisspeltKeyIsLocatedWithDidYouMean() {
    assertThat(formatted("v: { $each: product.variants, $pik: [id] }"))
        .containsExactly(
            "t.yaml:15:47: experiences.web.routes[\"GET /p/{id}\"].response.v.$pik: unknown"
                + " shaping key '$pik' (did you mean '$pick'?) (expected one of: $from, $each,"
                + " $merge, $flatten, $as, $pick, $except, $rename, $shape; a field whose name"
                + " starts with $ is written $$pik)");
  }

  @Test
  void renameCollisionsAreLoadErrors() {
    assertThat(
            errors(
                """
                a: { $from: product, $rename: { name: label, id: label } }
                b: { $from: product, $rename: { name: id }, $pick: [id, name] }
                c: { $from: product, $rename: { name: title }, title: "'x'" }
                d: { $from: product, $pick: [id], $rename: { name: title } }
                e: { $from: product, $except: [cost], $rename: { cost.amount: price } }
                """))
        .extracting(ConfigError::message)
        .containsExactly(
            "'id' and 'name' are both renamed to 'label': one would overwrite the other",
            "'name' is renamed to 'id', which is also picked: one would overwrite the other",
            "'name' is renamed to 'title', which is also an added field: one would overwrite the"
                + " other",
            "'name' is renamed but not in $pick, so it is never there to rename (add it to $pick)",
            "'cost.amount' is renamed but removed by $except 'cost'");
  }

  @Test
  void otherMisuseIsReportedWithAHint() {
    assertThat(
            errors(
                """
                a: { $each: product.variants, $as: product, $pick: [id] }
                b: { $from: product, $each: product.variants }
                c: { $from: product, $pick: id }
                d: { $from: product, $except: ["items[0].sku"] }
                e: { $each: product.variants, $shape: { id: item.id }, $pick: [id] }
                f: { $from: product, $as: p, $pick: [id] }
                g: { $each: product.variants }
                h: { $pick: [id] }
                i: { $from: product, $pick: [id, cost], $except: [cost] }
                """))
        .extracting(e -> e.path().replaceFirst(".*\\.response\\.", "") + ": " + e.message())
        .containsExactly(
            "a.$as: 'product' is a step or variable of this route, which the element would hide;"
                + " name the element otherwise with $as",
            "b.$each: $from and $each cannot be used together: a form takes its value from one of"
                + " them (nest a form inside another to combine them)",
            "c.$pick: $pick takes a list of paths, e.g. $pick: [id, price.amount, items[*].sku]",
            "d.$except: 'items[0].sku' is not a path: a position in a list is not a path here; [*]"
                + " (every element) is",
            "e.$shape: $shape builds each element itself; $pick, $except, $rename and added fields"
                + " edit the element instead: use one or the other (fields go inside $shape)",
            "f.$as: $as belongs to $each (it names or shapes each element of a list), not $from",
            "g.$each: $each needs $shape, $pick, $except, $rename or fields to apply to each"
                + " element",
            "h: a shaping form needs one of $from (an object), $each (a list), $merge (objects) or"
                + " $flatten (a list of lists)",
            "i.$except: 'cost' is both picked and removed (remove a field inside a picked one, or"
                + " leave it out of $pick)");
  }

  @Test
  void expressionsInsideFormsAreCheckedAndLocatedLikeAnyOther() {
    assertThat(formatted("v: { $each: product.variants, $as: v, $shape: { n: vv.name } }"))
        .singleElement()
        .asString()
        .startsWith(
            "t.yaml:15:62: experiences.web.routes[\"GET /p/{id}\"].response.v.$shape.n: unknown"
                + " reference 'vv.name' (did you mean 'v'?)");
  }

  @Test
  void aRouteWithoutFormsCompilesToTheSameShapesAsBefore() {
    RoutePlan route = route("{ name: product.name, list: [product.id] }");
    assertThat(route.response().getClass().getSimpleName()).isEqualTo("Obj");
    assertThat(((dev.medley.plan.Shape.Obj) route.response()).shapes())
        .extracting(x -> x.getClass().getSimpleName())
        .containsExactly("Eval", "Arr");
  }
}
