package dev.medley.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Keeps the docs honest: every example config and every whole config in the reference must pass
 * both the JSON Schema that editors use and the loader itself (or, where the reference shows what
 * `medley validate` prints for it, produce exactly those errors); the schema's defaults must be the
 * loader's; and the schema must still reject mistakes, so it cannot drift into accepting
 * everything.
 */
@Tag("fast")
class DocsExamplesTest {
  private static final Path DOCS = Path.of("docs");
  private static final Path EXAMPLES = DOCS.resolve("examples");
  private static final Path SCHEMA = DOCS.resolve("medley.schema.json");
  private static final Path REFERENCE = DOCS.resolve("config.md");

  /** Other pages whose whole configs must load too. */
  private static final List<Path> PAGES = List.of(REFERENCE, DOCS.resolve("caching.md"));

  /** Variables the examples require without a default. */
  private static final Map<String, String> ENV =
      Map.of(
          "MEDLEY_ADMIN_TOKEN",
          "docs-test-token",
          "PARTNER_JWT_SECRET",
          "docs-test-hmac-secret-of-at-least-32-bytes");

  private static final YAMLMapper YAML = new YAMLMapper();
  private static JsonNode schemaNode;
  private static Schema schema;

  @BeforeAll
  static void loadSchema() throws IOException {
    schemaNode = new ObjectMapper().readTree(Files.readString(SCHEMA, StandardCharsets.UTF_8));
    schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(schemaNode);
  }

  static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      List<Path> yaml =
          files
              .filter(
                  p ->
                      ConfigFolder.isConfigName(p.getFileName().toString())
                          && Files.isRegularFile(p))
              .sorted()
              .toList(); // composition tests (*.test.yaml) sit beside the configs
      assertThat(yaml).as("examples in " + EXAMPLES).isNotEmpty();
      return yaml;
    }
  }

  /** A fenced block of the reference: its language, its text and the line its text starts on. */
  record Block(String lang, String text, int line) {}

  /**
   * A whole config written in the reference (a ```yaml block starting with {@code version:}), with
   * the `medley validate` output shown right after it in a ```text block, or null when it must be
   * valid.
   */
  record DocConfig(String name, String text, String expectedErrors) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<DocConfig> referenceConfigs() throws IOException {
    List<DocConfig> out = new ArrayList<>();
    for (Path page : PAGES) {
      List<DocConfig> found = configsIn(page);
      assertThat(found).as("whole configs in " + page).isNotEmpty();
      out.addAll(found);
    }
    return out;
  }

  private static List<DocConfig> configsIn(Path page) throws IOException {
    List<Block> blocks = new ArrayList<>();
    List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("```") && lines.get(i).length() > 3) {
        int start = i + 1;
        StringBuilder text = new StringBuilder();
        for (i = start; !lines.get(i).equals("```"); i++) {
          text.append(lines.get(i)).append('\n');
        }
        blocks.add(new Block(lines.get(start - 1).substring(3), text.toString(), start + 1));
      }
    }
    List<DocConfig> out = new ArrayList<>();
    for (int b = 0; b < blocks.size(); b++) {
      Block block = blocks.get(b);
      boolean wholeConfig =
          block
              .text()
              .lines()
              .filter(l -> !l.isBlank() && !l.startsWith("#"))
              .findFirst()
              .orElse("")
              .startsWith("version:");
      if (block.lang().equals("yaml") && wholeConfig) {
        Block next = b + 1 < blocks.size() ? blocks.get(b + 1) : null;
        String expected = next != null && next.lang().equals("text") ? next.text() : null;
        out.add(new DocConfig(page + ":" + block.line(), block.text(), expected));
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleMatchesSchema(Path file) throws IOException {
    assertThat(schemaErrors(Files.readString(file, StandardCharsets.UTF_8)))
        .as(file.toString())
        .isEmpty();
  }

  /** The folder configs under docs/examples (see config.md#folder-configs). */
  static List<Path> folderExamples() throws IOException {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      List<Path> dirs = files.filter(Files::isDirectory).sorted().toList();
      assertThat(dirs).as("folder configs in " + EXAMPLES).isNotEmpty();
      return dirs;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("folderExamples")
  void folderExampleLoadsAsOneConfig(Path dir) throws IOException {
    assertThat(ConfigFolder.files(dir)).as("files of " + dir).hasSizeGreaterThan(1);
    exampleLoadsWithoutErrors(dir);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void exampleLoadsWithoutErrors(Path file) {
    ConfigLoader.Result result = new ConfigLoader(Env.of(ENV)).load(file);
    assertThat(result.errors()).as(file.toString()).isEmpty();
    assertThat(result.spec().experiences()).isNotEmpty();
    // Cross-references, templates and expressions compile too: the example really runs.
    assertThat(dev.medley.plan.PlanCompiler.compile(result.spec(), "v").errors())
        .as(file.toString())
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("referenceConfigs")
  void configInReferenceLoadsAsDocumented(DocConfig config) {
    ConfigLoader.Result result = new ConfigLoader(Env.of(ENV)).parse(config.text(), "medley.yaml");
    if (config.expectedErrors() == null) {
      assertThat(result.errors()).as(config.name()).isEmpty();
      assertThat(dev.medley.plan.PlanCompiler.compile(result.spec(), "v").errors())
          .as(config.name())
          .isEmpty();
      assertThat(schemaErrors(config.text())).as(config.name()).isEmpty();
    } else {
      // Structural errors stop there; a structurally sound config shows the plan's errors.
      List<ConfigError> errors =
          !result.errors().isEmpty() || result.spec() == null
              ? result.errors()
              : dev.medley.plan.PlanCompiler.compile(result.spec(), "v").errors();
      assertThat(errors)
          .as(config.name())
          .extracting(ConfigError::format)
          .containsExactlyElementsOf(config.expectedErrors().lines().toList());
    }
  }

  @Test
  void schemaIsValidAgainstTheDraft202012MetaSchema() {
    Schema meta =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
    assertThat(meta.validate(schemaNode)).isEmpty();
    // The meta-schema really is checking: a schema with a misspelled type is refused.
    assertThat(meta.validate(new ObjectMapper().readTree("{\"type\": \"strnig\"}"))).isNotEmpty();
  }

  @Test
  void schemaRejectsUnknownKey() {
    List<Error> errors = schemaErrors(minimalWith("timeout: 300ms", "timout: 300ms"));
    assertThat(errors).extracting(Error::getKeyword).contains("additionalProperties");
    assertThat(errors).extracting(Error::getMessage).anyMatch(m -> m.contains("timout"));
  }

  @Test
  void schemaRejectsBadDuration() {
    List<Error> errors = schemaErrors(minimalWith("timeout: 300ms", "timeout: 300"));
    assertThat(errors).isNotEmpty();
    assertThat(errors)
        .extracting(e -> e.getInstanceLocation().toString())
        .allMatch(l -> l.contains("timeout"));
  }

  @Test
  void schemaFollowsTheExpressionRules() {
    assertThat(schemaErrors(minimalWith("timeout: 300ms", "timeout: 0ms"))).isNotEmpty();
    String path = "            path: /products/{id}\n";
    assertThat(schemaErrors(minimalWith(path, path + "            when: yes\n"))).isNotEmpty();
    assertThat(schemaErrors(minimalWith(path, path + "            when: \"product.sellable\"\n")))
        .isEmpty();
    assertThat(schemaErrors(minimalWith("timeout: 300ms", "timeout: 10ms"))).isEmpty();
  }

  @Test
  void schemaRejectsMissingRequiredKey() {
    List<Error> errors = schemaErrors(minimalWith("            path: /products/{id}\n", ""));
    assertThat(errors).extracting(Error::getKeyword).contains("required");
    assertThat(errors).extracting(Error::getMessage).anyMatch(m -> m.contains("path"));
  }

  @Test
  void schemaRejectsRouteKeyWithUnknownMethod() {
    assertThat(schemaErrors(minimalWith("GET /products/{id}", "FETCH /products/{id}")))
        .isNotEmpty();
  }

  @Test
  void schemaRejectsBatchWithoutForEach() {
    String batchWithoutForEach =
        minimalWith(
            "            path: /products/{id}\n",
            "            path: /products/{id}\n            batch: { path: /items:batchGet }\n");
    assertThat(schemaErrors(batchWithoutForEach))
        .extracting(Error::getKeyword)
        .contains("dependentRequired");
  }

  @Test
  void schemaRejectsStepNamedLikeABuiltInVariable() {
    assertThat(schemaErrors(minimalWith("steps:\n          product:", "steps:\n          body:")))
        .isNotEmpty();
  }

  @Test
  void schemaKnowsTheShapingForms() {
    String path = "            path: /products/{id}\n";
    java.util.function.Function<String, List<Error>> withResponse =
        r -> schemaErrors(minimalWith(path, path + "        response:\n" + r.indent(10)));
    assertThat(withResponse.apply("v: { $each: product.items, $pick: [id, \"a[*].b\"] }"))
        .isEmpty();
    assertThat(withResponse.apply("{ $$schema: \"'x'\", p: { $from: product, $except: [a] } }"))
        .isEmpty();
    assertThat(withResponse.apply("v: { $each: product.items, $pik: [id] }"))
        .as("a misspelt key")
        .isNotEmpty();
    assertThat(withResponse.apply("v: { $from: product, $each: product.items }"))
        .as("two bases")
        .isNotEmpty();
    assertThat(withResponse.apply("v: { $from: product, $except: [\"a[0]\"] }"))
        .as("a position")
        .isNotEmpty();
  }

  @Test
  void schemaAcceptsEnvironmentReferencesInIntegerAndDurationFields() {
    String withEnv =
        minimalWith("timeout: 300ms", "timeout: ${env:PRODUCT_TIMEOUT:-300ms}")
            .replace("version: 1\n", "version: 1\nserver:\n  port: ${env:PORT}\n");
    assertThat(schemaErrors(withEnv)).isEmpty();
  }

  @Test
  void schemaDefaultsMatchLoaderDefaults() {
    String config =
        """
        version: 1
        upstreams:
          u:
            url: http://127.0.0.1:9105
            health: { path: /health }
        experiences:
          web:
            routes:
              GET /lists/{id}:
                query:
                  page: {}
                cache:
                  ttl: 1s
                steps:
                  one:
                    upstream: u
                    path: /items/1
                    cache:
                      ttl: 1s
                  entries:
                    upstream: u
                    path: /items/{item}
                    forEach: "[1, 2]"
                    batch:
                      path: /items:batchGet
        """;
    MedleySpec spec = new ConfigLoader(Env.of(Map.of())).parse(config, "defaults.yaml").spec();
    UpstreamSpec up = spec.upstreams().get("u");
    ExperienceSpec web = spec.experiences().get("web");
    RouteSpec route = web.routes().getFirst();
    StepSpec step = route.steps().get("entries");

    assertThat(spec.server().host()).isEqualTo(text("server", "host"));
    assertThat(spec.server().port()).isEqualTo(number("server", "port"));
    assertThat(spec.server().admin().host()).isEqualTo(text("admin", "host"));
    assertThat(spec.server().admin().port()).isEqualTo(number("admin", "port"));
    assertThat(spec.server().shutdownGrace()).isEqualTo(duration("server", "shutdownGrace"));
    assertThat(spec.server().watchInterval()).isEqualTo(duration("server", "watchInterval"));
    assertThat(up.health().interval()).isEqualTo(duration("health", "interval"));
    assertThat(up.timeout()).isEqualTo(duration("upstream", "timeout"));
    assertThat(up.maxResponseSize()).isEqualTo(Units.bytes(text("upstream", "maxResponseSize")));
    assertThat(up.maxConnections()).isEqualTo(number("upstream", "maxConnections"));
    assertThat(web.basePath()).isEqualTo(text("experience", "basePath"));
    assertThat(route.deadline()).isEqualTo(duration("route", "deadline"));
    assertThat(route.params().get("id").type()).isEqualTo(text("pathParam", "type"));
    assertThat(route.params().get("id").maxLength()).isEqualTo(number("pathParam", "maxLength"));
    assertThat(route.query().get("page").type()).isEqualTo(text("queryParam", "type"));
    assertThat(route.query().get("page").maxLength()).isEqualTo(number("queryParam", "maxLength"));
    assertThat(route.query().get("page").required())
        .isEqualTo(def("queryParam", "required").booleanValue());
    assertThat(step.method()).isEqualTo(text("step", "method"));
    assertThat(step.as()).isEqualTo(text("step", "as"));
    assertThat(step.concurrency()).isEqualTo(number("step", "concurrency"));
    assertThat(step.batch().method()).isEqualTo(text("batch", "method"));
    assertThat(step.batch().max()).isEqualTo(number("batch", "max"));
    assertThat(step.batch().resultsAt()).isEqualTo(text("batch", "resultsAt"));
    assertThat(step.batch().window()).isEqualTo(duration("batch", "window"));
    assertThat(up.coalesce()).isEqualTo(def("upstream", "coalesce").booleanValue());
    assertThat(route.cache().staleWhileRevalidate())
        .isEqualTo(duration("routeCache", "staleWhileRevalidate"));
    assertThat(route.cache().staleIfError()).isEqualTo(duration("routeCache", "staleIfError"));
    assertThat(route.cache().shared()).isEqualTo(def("routeCache", "shared").booleanValue());
    CacheRuleSpec stepCache = route.steps().get("one").cache();
    assertThat(stepCache.staleWhileRevalidate())
        .isEqualTo(duration("stepCache", "staleWhileRevalidate"));
    assertThat(stepCache.staleIfError()).isEqualTo(duration("stepCache", "staleIfError"));
    assertThat(stepCache.shared()).isEqualTo(def("stepCache", "shared").booleanValue());
    assertThat(stepCache.upstreamCacheControl())
        .isEqualTo(text("stepCache", "upstreamCacheControl"));
    assertThat(spec.cache().maxBytes()).isEqualTo(Units.bytes(text("cacheStore", "maxBytes")));
    CompressionSpec compression = spec.server().compression();
    assertThat(compression.encodings())
        .containsExactly(
            def("compression", "encodings")
                .valueStream()
                .map(JsonNode::asString)
                .toArray(String[]::new));
    assertThat(compression.minSize()).isEqualTo(Units.bytes(text("compression", "minSize")));
    assertThat(compression.gzipLevel()).isEqualTo(number("compression", "gzipLevel"));
    assertThat(compression.brotliQuality()).isEqualTo(number("compression", "brotliQuality"));
    ObserveSpec observe = spec.observe();
    assertThat(observe.metrics().enabled()).isEqualTo(def("metrics", "enabled").booleanValue());
    assertThat(observe.accessLog().target()).isEqualTo(text("accessLog", "target"));
    assertThat(observe.tracing().exporter()).isEqualTo(text("tracing", "exporter"));
    assertThat(observe.tracing().endpoint()).isEqualTo(text("tracing", "endpoint"));
    assertThat(observe.tracing().sampleRatio())
        .isEqualTo(def("tracing", "sampleRatio").doubleValue());
    assertThat(observe.tracing().serviceName()).isEqualTo(text("tracing", "serviceName"));

    assertThat(up.balance()).isEqualTo(UpstreamSpec.Balance.ROUND_ROBIN);
    assertThat(text("upstream", "balance")).isEqualTo("roundRobin");
    assertThat(up.keepAliveTimeout()).isEqualTo(duration("upstream", "keepAliveTimeout"));
    assertThat(up.http2().name().toLowerCase(java.util.Locale.ROOT))
        .isEqualTo(text("upstream", "http2"));
    assertThat(up.deadlineHeader()).isEqualTo(text("upstream", "deadlineHeader"));
    assertThat(up.maxConcurrent()).isEqualTo(number("upstream", "maxConcurrent"));
    assertThat(up.maxQueue()).isEqualTo(number("upstream", "maxQueue"));
    String retry = "/$defs/upstream/properties/retry/properties/";
    assertThat(up.retry().attempts()).isEqualTo(at(retry + "attempts").intValue());
    assertThat(up.retry().backoff()).isEqualTo(Units.duration(at(retry + "backoff").asString()));
    assertThat(up.retry().maxBackoff())
        .isEqualTo(Units.duration(at(retry + "maxBackoff").asString()));
    assertThat(up.retry().methods()).isEqualTo(strings(at(retry + "methods")));
    assertThat(up.retry().on()).isEqualTo(strings(at(retry + "on")));
    String budget = retry + "budget/properties/";
    assertThat(up.retry().budget().ratio()).isEqualTo(percent(at(budget + "ratio")));
    assertThat(up.retry().budget().minPerSecond())
        .isEqualTo(at(budget + "minPerSecond").intValue());
    assertThat(up.retry().budget().window())
        .isEqualTo(Units.duration(at(budget + "window").asString()));
    String breaker = "/$defs/upstream/properties/breaker/anyOf/1/properties/";
    BreakerSpec b = up.breaker();
    assertThat(b.consecutiveFailures()).isEqualTo(at(breaker + "consecutiveFailures").intValue());
    assertThat(b.failureRate()).isEqualTo(percent(at(breaker + "failureRate")));
    assertThat(b.slowCallRate()).isEqualTo(percent(at(breaker + "slowCallRate")));
    assertThat(b.slowCallDuration())
        .isEqualTo(Units.duration(at(breaker + "slowCallDuration").asString()));
    assertThat(b.window()).isEqualTo(Units.duration(at(breaker + "window").asString()));
    assertThat(b.minimumCalls()).isEqualTo(at(breaker + "minimumCalls").intValue());
    assertThat(b.openFor()).isEqualTo(Units.duration(at(breaker + "openFor").asString()));
    assertThat(b.halfOpenCalls()).isEqualTo(at(breaker + "halfOpenCalls").intValue());
    String ejection = "/$defs/upstream/properties/ejection/properties/";
    assertThat(up.ejection().time()).isEqualTo(Units.duration(at(ejection + "time").asString()));
    assertThat(up.ejection().maxTime())
        .isEqualTo(Units.duration(at(ejection + "maxTime").asString()));
    assertThat(up.ejection().maxPercent()).isEqualTo(percent(at(ejection + "maxPercent")));
  }

  private static JsonNode at(String pointer) {
    JsonNode d = schemaNode.at(pointer + "/default");
    assertThat(d.isMissingNode()).as("default at " + pointer).isFalse();
    return d;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.isNumber() ? Integer.toString(n.intValue()) : n.asString()));
    return out;
  }

  private static double percent(JsonNode n) {
    String s = n.asString();
    assertThat(s).endsWith("%");
    return Double.parseDouble(s.substring(0, s.length() - 1)) / 100.0;
  }

  @Test
  void securitySchemaDefaultsMatchLoaderDefaults() {
    String config =
        """
        version: 1
        auth:
          jwt: { issuer: "https://i.test/", audiences: a, jwks: "https://i.test/jwks", algorithms: [RS256] }
        upstreams:
          u:
            url: http://127.0.0.1:9105
            oauth2: { tokenUrl: "https://i.test/token", clientId: c, clientSecret: s }
        experiences:
          web:
            cors: { origins: ["https://shop.test"] }
            routes:
              GET /p:
                steps: { p: { upstream: u, path: /p } }
        """;
    MedleySpec spec = new ConfigLoader(Env.of(Map.of())).parse(config, "defaults.yaml").spec();
    JwtSpec jwt = spec.auth().jwt();
    LimitsSpec limits = spec.server().limits();
    CorsSpec cors = spec.experiences().get("web").access().cors();
    OAuth2Spec oauth2 = spec.upstreams().get("u").oauth2();

    assertThat(jwt.clockSkew()).isEqualTo(duration("jwt", "clockSkew"));
    assertThat(jwt.requireExpiry()).isEqualTo(def("jwt", "requireExpiry").booleanValue());
    assertThat(jwt.scopeClaim()).isEqualTo(text("jwt", "scopeClaim"));
    assertThat(jwt.jwksRefresh()).isEqualTo(duration("jwt", "jwksRefresh"));
    assertThat(jwt.jwksMinRefreshInterval()).isEqualTo(duration("jwt", "jwksMinRefreshInterval"));
    assertThat(jwt.jwksTimeout()).isEqualTo(duration("jwt", "jwksTimeout"));
    assertThat(limits.maxHeaderSize()).isEqualTo(Units.bytes(text("limits", "maxHeaderSize")));
    assertThat(limits.maxUrlLength()).isEqualTo(number("limits", "maxUrlLength"));
    assertThat(limits.maxBodySize()).isEqualTo(Units.bytes(text("limits", "maxBodySize")));
    assertThat(limits.maxJsonDepth()).isEqualTo(number("limits", "maxJsonDepth"));
    assertThat(limits.maxQueryParams()).isEqualTo(number("limits", "maxQueryParams"));
    assertThat(cors.methods())
        .containsExactlyElementsOf(
            def("cors", "methods").valueStream().map(JsonNode::asString).toList());
    assertThat(cors.credentials()).isEqualTo(def("cors", "credentials").booleanValue());
    assertThat(cors.maxAge()).isEqualTo(duration("cors", "maxAge"));
    assertThat(oauth2.refreshBefore()).isEqualTo(duration("oauth2", "refreshBefore"));
    assertThat(oauth2.timeout()).isEqualTo(duration("oauth2", "timeout"));
    assertThat(spec.experiences().get("web").routes().getFirst().access().forwardAuthorization())
        .isEqualTo(def("route", "forwardAuthorization").booleanValue());
  }

  /** A small valid config the negative tests break in one place each. */
  private static final String MINIMAL =
      """
      version: 1
      upstreams:
        product:
          url: http://127.0.0.1:9101
          timeout: 300ms
      experiences:
        web:
          routes:
            GET /products/{id}:
              steps:
                product:
                  upstream: product
                  path: /products/{id}
      """;

  /** {@link #MINIMAL} with {@code from} (which must occur) replaced by {@code to}. */
  private static String minimalWith(String from, String to) {
    assertThat(MINIMAL).contains(from);
    return MINIMAL.replace(from, to);
  }

  private static List<Error> schemaErrors(String yaml) {
    return schema.validate(YAML.readTree(yaml));
  }

  private static JsonNode def(String definition, String property) {
    JsonNode d = schemaNode.at("/$defs/" + definition + "/properties/" + property + "/default");
    assertThat(d.isMissingNode()).as("default of " + definition + "." + property).isFalse();
    return d;
  }

  private static String text(String definition, String property) {
    return def(definition, property).asString();
  }

  private static int number(String definition, String property) {
    return def(definition, property).intValue();
  }

  private static Duration duration(String definition, String property) {
    return Units.duration(text(definition, property));
  }
}
