package dev.medley.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A graphql step's query is checked at load; every misuse is an error at its key. */
@Tag("fast")
class GraphqlConfigTest {
  private static final String HEAD =
      """
      version: 1
      upstreams:
        pricing: { url: "http://127.0.0.1:9101" }
      experiences:
        web:
          routes:
            GET /p/{id}:
              steps:
                price:
                  upstream: pricing
      """;

  private static List<String> errors(String step) {
    return new ConfigLoader(Env.of(Map.of()))
        .parse(HEAD + step.indent(12), "g.yaml").errors().stream()
            .map(ConfigError::format)
            .toList();
  }

  @Test
  void aValidStepLoadsAsAPostToGraphqlWithTheQueryAsALiteral() {
    ConfigLoader.Result r =
        new ConfigLoader(Env.of(Map.of()))
            .parse(
                HEAD
                    + """
                    graphql:
                      query: "query($id: ID!) { price(id: $id) { amount } }"
                      variables: { id: "{params.id}" }
                    """
                        .indent(12),
                "g.yaml");
    assertThat(r.errors()).isEmpty();
    StepSpec s = r.spec().experiences().get("web").routes().get(0).steps().get("price");
    assertThat(s.method()).isEqualTo("POST");
    assertThat(s.path().value()).isEqualTo("/graphql");
    assertThat(s.graphql().errors()).isEqualTo("fail");
    assertThat(s.graphql().declared()).containsExactly("id");
  }

  @Test
  void syntaxErrorsAreLocatedInsideTheQuery() {
    assertThat(
            errors(
                """
                graphql:
                  query: "query($id: ID!) { price(id: $id) { amount }"
                  variables: { id: "{params.id}" }
                """))
        .containsExactly(
            "g.yaml:12:66: experiences.web.routes[\"GET /p/{id}\"].steps.price.graphql.query: not a GraphQL document: Invalid syntax with offending token '<EOF>' at line 1 column 44");
  }

  @Test
  void variablesMustMatchTheDeclarations() {
    assertThat(
            errors(
                """
                graphql:
                  query: "query($id: ID!, $cur: String) { price(id: $id, currency: $cur) { amount } }"
                  variables: { currency: EUR }
                """))
        .containsExactly(
            "g.yaml:13:38: experiences.web.routes[\"GET /p/{id}\"].steps.price.graphql.variables.currency: 'currency' is not declared by the query (expected one of: $id, $cur)",
            "g.yaml:13:26: experiences.web.routes[\"GET /p/{id}\"].steps.price.graphql.variables: no value for $id, which the query requires (expected variables: { id: ... })");
  }

  @Test
  void oneQueryOrMutationOnly() {
    assertThat(
            errors(
                """
                graphql:
                  query: "query A { a } query B { b }"
                """))
        .containsExactly(
            "g.yaml:12:22: experiences.web.routes[\"GET /p/{id}\"].steps.price.graphql.query: 2 operations in the document (expected exactly one query or mutation)");
    assertThat(
            errors(
                """
                graphql:
                  query: "subscription { prices { amount } }"
                """))
        .containsExactly(
            "g.yaml:12:22: experiences.web.routes[\"GET /p/{id}\"].steps.price.graphql.query: a subscription (expected a query or a mutation: a step takes one answer)");
  }

  @Test
  void theStepAroundItMustFit() {
    assertThat(
            errors(
                """
                method: GET
                body: { a: 1 }
                graphql:
                  query: "fragment F on Price { amount } query($id: ID!) { price(id: $id) { ...F } }"
                  variables: { id: "{params.id}" }
                  batchSize: 10
                  errors: maybe
                """))
        .containsExactly(
            "g.yaml:17:23: experiences.web.routes[\"GET /p/{id}\"].steps.price.graphql.errors: 'maybe' (expected one of: fail, ignore)",
            "g.yaml:14:22: experiences.web.routes[\"GET /p/{id}\"].steps.price.graphql.query: fragments with batchSize (expected the fields written inline)",
            "g.yaml:16:26: experiences.web.routes[\"GET /p/{id}\"].steps.price.graphql.batchSize: batchSize needs forEach (expected a forEach giving the items)",
            "g.yaml:12:19: experiences.web.routes[\"GET /p/{id}\"].steps.price.body: a graphql step's body is its query and variables (remove body)",
            "g.yaml:11:21: experiences.web.routes[\"GET /p/{id}\"].steps.price.method: a graphql step is a POST (remove method)");
  }
}
