package dev.medley.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.config.ConfigError;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Cross-reference errors are found at load, located, and all reported in one pass. */
@Tag("fast")
class PlanCompilerTest {
  private static final String HEAD =
      """
      version: 1
      upstreams:
        product: { url: "http://127.0.0.1:9101" }
        reviews: { url: "http://127.0.0.1:9104" }
      experiences:
        web:
          basePath: /web
          routes:
      """;

  private static List<ConfigError> errors(String routes) {
    ConfigLoader.Result r =
        new ConfigLoader(Env.of(Map.of())).parse(HEAD + routes.indent(8), "t.yaml");
    assertThat(r.errors()).as("structural errors").isEmpty();
    return PlanCompiler.compile(r.spec(), "v").errors();
  }

  private static Plan plan(String routes) {
    ConfigLoader.Result r =
        new ConfigLoader(Env.of(Map.of())).parse(HEAD + routes.indent(8), "t.yaml");
    PlanCompiler.Result c = PlanCompiler.compile(r.spec(), "v");
    assertThat(c.errors()).isEmpty();
    return c.plan();
  }

  @Test
  void unknownUpstreamListsTheValidOnes() {
    List<ConfigError> e =
        errors(
            """
        GET /p/{id}:
          steps:
            product: { upstream: prodcut, path: "/products/{id}" }
        """);
    assertThat(e)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.message())
                  .isEqualTo(
                      "unknown upstream 'prodcut' (did you mean 'product'?) (expected one of: product, reviews)");
              assertThat(x.at().line()).isEqualTo(11);
              assertThat(x.path())
                  .isEqualTo("experiences.web.routes[\"GET /p/{id}\"].steps.product");
            });
  }

  @Test
  void unknownReferenceInTemplateIsLocatedAtItsColumn() {
    List<ConfigError> e =
        errors(
            """
        GET /p/{id}:
          steps:
            product: { upstream: product, path: "/products/{idd}" }
        """);
    assertThat(e)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.message())
                  .startsWith("unknown reference 'idd'")
                  .contains("expected one of: id, params");
              assertThat(x.at().line()).isEqualTo(11);
              assertThat(x.at().column()).isEqualTo(60); // the '{' of {idd}
            });
  }

  @Test
  void dependencyCycleNamesTheSteps() {
    List<ConfigError> e =
        errors(
            """
        GET /p/{id}:
          steps:
            a: { upstream: product, path: "/a/{b.id}" }
            b: { upstream: reviews, path: "/b/{a.id}" }
        """);
    assertThat(e)
        .singleElement()
        .extracting(ConfigError::message)
        .isEqualTo("dependency cycle: a -> b -> a");
  }

  @Test
  void stepReferringToItselfIsAnError() {
    assertThat(
            errors(
                """
        GET /p/{id}:
          steps:
            a: { upstream: product, path: "/a/{a.id}" }
        """))
        .singleElement()
        .extracting(ConfigError::message)
        .asString()
        .contains("its own result");
  }

  @Test
  void badExpressionIsLocatedInsideTheString() {
    List<ConfigError> e =
        errors(
            """
        GET /p/{id}:
          steps:
            product: { upstream: product, path: "/products/{id}" }
          response:
            name: "product.name +"
            other: "prodcut.name == 1"
        """);
    assertThat(e).hasSize(2);
    assertThat(e.get(0).message()).contains("product.name +");
    assertThat(e.get(0).at().line()).isEqualTo(13);
    assertThat(e.get(1).format())
        .isEqualTo(
            "t.yaml:14:21: experiences.web.routes[\"GET /p/{id}\"].response.other:"
                + " unknown reference 'prodcut' (did you mean 'product'?) (expected one of: id, params, query, headers, claims, body, product)");
    assertThat(e.get(1).path()).endsWith(".response.other");
  }

  @Test
  void duplicateRouteNamesTheFirstDeclaration() {
    List<ConfigError> e =
        errors(
            """
        GET /p/{id}:
          steps:
            product: { upstream: product, path: "/products/{id}" }
        GET /p/{key}:
          steps:
            product: { upstream: product, path: "/products/{key}" }
        """);
    assertThat(e)
        .singleElement()
        .extracting(ConfigError::message)
        .asString()
        .startsWith("duplicate route GET /web/p/{key} (already declared at t.yaml:9:9)");
  }

  @Test
  void headersAndQueryMustBeDeclaredToBeUsed() {
    List<ConfigError> e =
        errors(
            """
        GET /p/{id}:
          steps:
            product: { upstream: product, path: "/products/{id}", query: { q: "{query.q}" }, headers: { X-T: "{headers.x-tenant}" } }
        """);
    assertThat(e)
        .extracting(ConfigError::message)
        .anySatisfy(m -> assertThat(m).contains("'q' is not a declared query parameter"))
        .anySatisfy(m -> assertThat(m).contains("'x-tenant' is not a allow-listed header"));
  }

  @Test
  void bodyOnGetIsAnError() {
    assertThat(
            errors(
                """
        GET /p/{id}:
          steps:
            product: { upstream: product, path: "/products/{id}", body: { a: 1 } }
        """))
        .singleElement()
        .extracting(ConfigError::message)
        .asString()
        .contains("body is only sent with POST");
  }

  @Test
  void dependencyOrderPutsReferencedStepsFirst() {
    Plan p =
        plan(
            """
        GET /p/{id}:
          steps:
            reviews: { upstream: reviews, path: "/r/{product.sku}" }
            product: { upstream: product, path: "/products/{id}" }
            extra: { upstream: product, path: "/x/{id}", when: "reviews.count > 0" }
        """);
    RoutePlan r = p.routes().get(0);
    assertThat(r.step("reviews").deps()).containsExactly(1);
    assertThat(r.step("extra").deps()).containsExactly(0);
    assertThat(r.order()).containsExactly(1, 0, 2);
  }
}
