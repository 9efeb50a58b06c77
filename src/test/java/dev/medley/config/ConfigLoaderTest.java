package dev.medley.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ConfigLoaderTest {
  private static final String FILE = "medley.yaml";

  private static ConfigLoader.Result parse(String yaml) {
    return parse(yaml, Map.of());
  }

  private static ConfigLoader.Result parse(String yaml, Map<String, String> env) {
    return new ConfigLoader(Env.of(env)).parse(yaml, FILE);
  }

  /** The single error of a result, failing with all of them when there is not exactly one. */
  private static ConfigError onlyError(ConfigLoader.Result result) {
    assertThat(result.errors()).hasSize(1);
    return result.errors().getFirst();
  }

  private static String route(String routeBody) {
    return """
        version: 1
        upstreams:
          product:
            url: http://127.0.0.1:9101
        experiences:
          web:
            routes:
        """
        + routeBody.indent(6);
  }

  @Test
  void loadsValidFileIntoRecords() {
    String yaml =
        """
        version: 1
        server:
          host: 0.0.0.0
          port: ${env:PORT}
          admin: { port: 9191, token: "${env:ADMIN_TOKEN}" }
        upstreams:
          product:
            url: http://127.0.0.1:9101/api
            timeout: 250ms
            maxResponseSize: 64KiB
            maxConnections: 16
            headers: { Authorization: "Bearer ${env:PRODUCT_TOKEN:-none}" }
          catalog:
            url: http://127.0.0.1:9105
        experiences:
          web:
            basePath: /web
            routes:
              GET /products/{id}:
                params:
                  id: { pattern: "^[0-9]+$", type: integer }
                query:
                  lang: { required: true, maxLength: 5 }
                  page: { type: integer, default: 1 }
                headers: [X-Tenant]
                deadline: 2s
                steps:
                  product:
                    upstream: product
                    path: /products/{id}
                    headers: { X-Tenant: "{headers.x-tenant}" }
                  related:
                    upstream: catalog
                    forEach: product.relatedIds
                    as: rid
                    concurrency: 4
                    path: /items/{rid}
                    batch: { path: /items:batchGet, body: { ids: "{items}" }, max: 20, resultsAt: items, matchOn: id }
                    timeout: 400ms
                    optional: []
                  price:
                    upstream: product
                    path: /prices/{id}
                    when: product.sellable
                    optional: { amount: null, note: "n/a" }
                response:
                  id: product.id
                  count: 3
                  title: "'Product'"
        """;
    ConfigLoader.Result result = parse(yaml, Map.of("PORT", "8081", "ADMIN_TOKEN", "secret"));

    assertThat(result.errors()).isEmpty();
    MedleySpec spec = result.spec();
    assertThat(spec.version()).isEqualTo(1);
    assertThat(spec.server().host()).isEqualTo("0.0.0.0");
    assertThat(spec.server().port()).isEqualTo(8081);
    assertThat(spec.server().admin()).isEqualTo(new AdminSpec("127.0.0.1", 9191, "secret"));

    UpstreamSpec product = spec.upstreams().get("product");
    assertThat(product.url()).isEqualTo("http://127.0.0.1:9101/api");
    assertThat(product.timeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(product.maxResponseSize()).isEqualTo(64 * 1024);
    assertThat(product.maxConnections()).isEqualTo(16);
    assertThat(product.headers()).containsEntry("Authorization", "Bearer none");
    UpstreamSpec catalog = spec.upstreams().get("catalog");
    assertThat(catalog.timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(catalog.maxResponseSize()).isEqualTo(10L << 20);
    assertThat(catalog.maxConnections()).isEqualTo(64);

    ExperienceSpec web = spec.experiences().get("web");
    assertThat(web.basePath()).isEqualTo("/web");
    RouteSpec route = web.routes().getFirst();
    assertThat(route.key()).isEqualTo("GET /products/{id}");
    assertThat(route.at()).isEqualTo(new Src(FILE, 19, 7));
    assertThat(route.params().get("id"))
        .extracting(ParamSpec::type, ParamSpec::pattern, ParamSpec::required, ParamSpec::maxLength)
        .containsExactly("integer", "^[0-9]+$", true, 1024);
    assertThat(route.query().get("lang"))
        .extracting(ParamSpec::name, ParamSpec::type, ParamSpec::required, ParamSpec::maxLength)
        .containsExactly("lang", "string", true, 5);
    assertThat(route.query().get("page"))
        .extracting(ParamSpec::type, ParamSpec::required, ParamSpec::defaultValue)
        .containsExactly("integer", false, "1");
    assertThat(route.headers()).containsExactly("x-tenant");
    assertThat(route.deadline()).isEqualTo(Duration.ofSeconds(2));
    assertThat(route.steps()).containsOnlyKeys("product", "related", "price");

    StepSpec p = route.steps().get("product");
    assertThat(p.method()).isEqualTo("GET");
    assertThat(p.path().value()).isEqualTo("/products/{id}");
    assertThat(p.path().at()).isEqualTo(new Src(FILE, 30, 19));
    assertThat(p.headers().get("X-Tenant").value()).isEqualTo("{headers.x-tenant}");
    assertThat(p.optional()).isFalse();
    assertThat(p.timeout()).isNull();

    StepSpec related = route.steps().get("related");
    assertThat(related.forEach().value()).isEqualTo("product.relatedIds");
    assertThat(related.as()).isEqualTo("rid");
    assertThat(related.concurrency()).isEqualTo(4);
    assertThat(related.timeout()).isEqualTo(Duration.ofMillis(400));
    assertThat(related.optional()).isTrue();
    assertThat(related.fallback().isArray()).isTrue();
    BatchSpec batch = related.batch();
    assertThat(batch.method()).isEqualTo("POST");
    assertThat(batch.path().value()).isEqualTo("/items:batchGet");
    assertThat(batch.max()).isEqualTo(20);
    assertThat(batch.resultsAt()).isEqualTo("items");
    assertThat(batch.matchOn()).isEqualTo("id");
    assertThat(batch.body()).isInstanceOf(ValueSpec.Obj.class);

    StepSpec price = route.steps().get("price");
    assertThat(price.when().value()).isEqualTo("product.sellable");
    assertThat(price.fallback().toString()).isEqualTo("{\"amount\":null,\"note\":\"n/a\"}");

    ValueSpec.Obj response = (ValueSpec.Obj) route.response();
    assertThat(response.fields()).containsOnlyKeys("id", "count", "title");
    assertThat(response.fields().get("id")).isInstanceOf(ValueSpec.Str.class);
    assertThat(response.fields().get("count")).isInstanceOf(ValueSpec.Literal.class);
    assertThat(((ValueSpec.Str) response.fields().get("title")).text().value())
        .isEqualTo("'Product'");
  }

  @Test
  void defaultsAreAppliedWhenKeysAreAbsent() {
    ConfigLoader.Result result =
        parse(
            route(
                """
        GET /p/{id}:
          steps:
            a: { upstream: product, path: "/p/{id}" }
        """));

    assertThat(result.errors()).isEmpty();
    assertThat(result.spec().server()).isEqualTo(ServerSpec.DEFAULT);
    RouteSpec r = result.spec().experiences().get("web").routes().getFirst();
    assertThat(r.deadline()).isEqualTo(Duration.ofSeconds(3));
    assertThat(r.params().get("id"))
        .extracting(ParamSpec::type, ParamSpec::pattern, ParamSpec::maxLength)
        .containsExactly("string", null, 1024);
    assertThat(r.response()).isNull();
    StepSpec a = r.steps().get("a");
    assertThat(a)
        .extracting(StepSpec::method, StepSpec::as, StepSpec::concurrency, StepSpec::optional)
        .containsExactly("GET", "item", 8, false);
  }

  @Test
  void reportsUnknownKeyAtTheKeyListingTheValidKeys() {
    ConfigError e =
        onlyError(
            parse(
                """
        version: 1
        upstreams:
          product:
            url: http://127.0.0.1:9101
            timout: 300ms
        experiences: {}
        """));

    assertThat(e.at()).isEqualTo(new Src(FILE, 5, 5));
    assertThat(e.path()).isEqualTo("upstreams.product.timout");
    assertThat(e.message())
        .isEqualTo(
            "unknown key 'timout' (did you mean 'timeout'?) (expected one of: url, urls, timeout, maxResponseSize, maxConnections, headers, balance, keepAliveTimeout, http2, deadlineHeader, retry, breaker, ejection, maxConcurrent, maxQueue, health, coalesce, tls, oauth2, hedge, followRedirects)");
  }

  @Test
  void reportsBadDurationAtTheValue() {
    ConfigError e =
        onlyError(
            parse(
                route(
                    """
        GET /p:
          deadline: 1.5s
          steps:
            a: { upstream: product, path: /p }
        """)));

    assertThat(e.at()).isEqualTo(new Src(FILE, 9, 19));
    assertThat(e.path()).isEqualTo("experiences.web.routes[\"GET /p\"].deadline");
    assertThat(e.message()).contains("'1.5s' is not a duration", "e.g. 250ms");
  }

  @Test
  void reportsMissingRequiredKeyAtTheMappingThatLacksIt() {
    ConfigError e =
        onlyError(
            parse(
                route(
                    """
        GET /p:
          steps:
            a:
              upstream: product
        """)));

    assertThat(e.at()).isEqualTo(new Src(FILE, 11, 13));
    assertThat(e.path()).isEqualTo("experiences.web.routes[\"GET /p\"].steps.a");
    assertThat(e.message()).isEqualTo("missing required key 'path'");
  }

  @Test
  void reportsBadRouteKeyAtTheKey() {
    ConfigError e =
        onlyError(
            parse(
                route(
                    """
        FETCH /p:
          steps:
            a: { upstream: product, path: /p }
        """)));

    assertThat(e.at()).isEqualTo(new Src(FILE, 8, 7));
    assertThat(e.message()).contains("route key 'FETCH /p'", "GET, POST, PUT, DELETE, PATCH");
  }

  @Test
  void rejectsQueryOrFragmentInRouteKey() {
    ConfigError e =
        onlyError(
            parse(
                route(
                    """
        GET /p?x=1:
          steps:
            a: { upstream: product, path: /p }
        """)));

    assertThat(e.at()).isEqualTo(new Src(FILE, 8, 7));
    assertThat(e.message()).contains("route key 'GET /p?x=1'");
  }

  @Test
  void rejectsParameterThatDoesNotFillAWholeSegment() {
    ConfigError e =
        onlyError(
            parse(
                route(
                    """
        GET /p/id-{id}:
          steps:
            a: { upstream: product, path: /p }
        """)));

    assertThat(e.at()).isEqualTo(new Src(FILE, 8, 7));
    assertThat(e.message()).contains("segment 'id-{id}'");
  }

  @Test
  void reportsInvalidRegexPatternAtThePattern() {
    ConfigError e =
        onlyError(
            parse(
                route(
                    """
        GET /p/{id}:
          params:
            id: { pattern: "^[0-9+$" }
          steps:
            a: { upstream: product, path: /p }
        """)));

    assertThat(e.at()).isEqualTo(new Src(FILE, 10, 26));
    assertThat(e.path()).isEqualTo("experiences.web.routes[\"GET /p/{id}\"].params.id.pattern");
    assertThat(e.message()).startsWith("'^[0-9+$' is not a valid regular expression");
  }

  @Test
  void reportsParamsEntryThatIsNotAPathParameterAtItsKey() {
    ConfigError e =
        onlyError(
            parse(
                route(
                    """
        GET /p/{id}:
          params:
            sku: { pattern: "^[0-9]+$" }
          steps:
            a: { upstream: product, path: /p }
        """)));

    assertThat(e.at()).isEqualTo(new Src(FILE, 10, 11));
    assertThat(e.message())
        .isEqualTo("'sku' is not a parameter of path /p/{id} (expected one of: id)");
  }

  @Test
  void reportsDuplicateKeyAtTheSecondOccurrenceAndKeepsTheFirst() {
    ConfigLoader.Result result =
        parse(
            """
        version: 1
        upstreams:
          product:
            url: http://127.0.0.1:9101
            timeout: 200ms
            timeout: 900ms
        experiences: {}
        """);
    ConfigError e = onlyError(result);

    assertThat(e.at()).isEqualTo(new Src(FILE, 6, 5));
    assertThat(e.path()).isEqualTo("upstreams.product.timeout");
    assertThat(e.message()).isEqualTo("duplicate key 'timeout'");
    assertThat(result.spec().upstreams().get("product").timeout())
        .isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void reportsUnsetEnvironmentVariableAtTheValue() {
    ConfigError e =
        onlyError(
            parse(
                """
        version: 1
        server:
          admin:
            token: ${env:MEDLEY_ADMIN_TOKEN}
        upstreams: {}
        experiences: {}
        """));

    assertThat(e.at()).isEqualTo(new Src(FILE, 4, 12));
    assertThat(e.path()).isEqualTo("server.admin.token");
    assertThat(e.message())
        .contains(
            "environment variable MEDLEY_ADMIN_TOKEN is not set",
            "${env:MEDLEY_ADMIN_TOKEN:-default}");
  }

  @Test
  void interpolatesEnvironmentVariablesAndDefaultsInAnyScalar() {
    String yaml =
        """
        version: 1
        upstreams:
          product:
            url: http://${env:HOST}:${env:PORT:-9101}
            timeout: ${env:TIMEOUT:-300ms}
        experiences: {}
        """;

    UpstreamSpec unset = parse(yaml, Map.of("HOST", "127.0.0.1")).spec().upstreams().get("product");
    UpstreamSpec set =
        parse(yaml, Map.of("HOST", "10.0.0.5", "PORT", "80", "TIMEOUT", "2s"))
            .spec()
            .upstreams()
            .get("product");

    assertThat(unset.url()).isEqualTo("http://127.0.0.1:9101");
    assertThat(unset.timeout()).isEqualTo(Duration.ofMillis(300));
    assertThat(set.url()).isEqualTo("http://10.0.0.5:80");
    assertThat(set.timeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void reportsEveryMistakeInOnePass() {
    String yaml =
        """
        version: 1
        server:
          port: 80808
        upstreams:
          product:
            url: ftp://127.0.0.1:9101
        experiences:
          web:
            routes:
              GET /p/{id}:
                deadline: soon
                params:
                  id: { pattern: "(" }
                steps:
                  a: { upstream: product, path: /p, retries: 3 }
        """;

    List<ConfigError> errors = parse(yaml).errors();

    assertThat(errors)
        .extracting(e -> e.at().line() + ":" + e.path())
        .containsExactlyInAnyOrder(
            "3:server.port",
            "6:upstreams.product.url",
            "11:experiences.web.routes[\"GET /p/{id}\"].deadline",
            "13:experiences.web.routes[\"GET /p/{id}\"].params.id.pattern",
            "15:experiences.web.routes[\"GET /p/{id}\"].steps.a.retries");
  }

  @Test
  void formatsErrorsAsFileLineColumnPathMessage() {
    ConfigError e =
        onlyError(
            parse(
                route(
                    """
        GET /p:
          deadline: soon
          steps:
            a: { upstream: product, path: /p }
        """)));

    assertThat(e.format())
        .isEqualTo(
            "medley.yaml:9:19: experiences.web.routes[\"GET /p\"].deadline: "
                + "'soon' is not a duration (expected a number with ms, s, m or h, e.g. 250ms)");
  }

  @Test
  void rejectsDurationTooLargeForALongInsteadOfThrowing() {
    List<ConfigError> errors =
        parse(
                route(
                    """
        GET /p:
          deadline: 99999999999999999999ms
          steps:
            a: { upstream: product, path: /p, timeout: 9999999999999999h }
        """))
            .errors();

    assertThat(errors)
        .extracting(ConfigError::message)
        .hasSize(2)
        .allMatch(m -> m.contains("is not a duration"));
  }

  @Test
  void rejectsSizeThatWouldOverflowInsteadOfWrapping() {
    ConfigError e =
        onlyError(
            parse(
                """
        version: 1
        upstreams:
          product: { url: "http://127.0.0.1:9101", maxResponseSize: 8589934592GiB }
        experiences: {}
        """));

    assertThat(e.message()).startsWith("'8589934592GiB' is not a size");
  }

  @Test
  void keepsQueryParameterNamesThatAreNotIdentifiers() {
    ConfigLoader.Result result =
        parse(
            route(
                """
        GET /p:
          query:
            filter.name: {}
            page[size]: { type: integer }
          steps:
            a: { upstream: product, path: /p }
        """));

    assertThat(result.errors()).isEmpty();
    assertThat(result.spec().experiences().get("web").routes().getFirst().query().values())
        .extracting(ParamSpec::name)
        .containsExactly("filter.name", "page[size]");
  }

  @Test
  void rejectsStepNamedLikeABuiltInVariable() {
    ConfigError e =
        onlyError(
            parse(
                route(
                    """
        GET /p:
          steps:
            body: { upstream: product, path: /p }
        """)));

    assertThat(e.at()).isEqualTo(new Src(FILE, 10, 11));
    assertThat(e.message()).startsWith("'body' is reserved");
  }

  @Test
  void rejectsBatchWithoutForEach() {
    ConfigError e =
        onlyError(
            parse(
                route(
                    """
        GET /p:
          steps:
            a:
              upstream: product
              path: /p
              batch: { path: /items:batchGet }
        """)));

    assertThat(e.path()).endsWith("steps.a.batch");
    assertThat(e.message()).startsWith("batch needs forEach");
  }

  @Test
  void reportsInvalidYamlWithItsLocation() {
    ConfigError e =
        onlyError(
            parse(
                route(
                    """
        GET /p/{id}:
          steps:
            a: { upstream: product, path: /p/{id} }
        """)));

    assertThat(e.at()).isEqualTo(new Src(FILE, 10, 44));
    assertThat(e.message()).startsWith("not valid YAML");
  }
}
