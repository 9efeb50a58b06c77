package dev.medley.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.config.ConfigFolder;
import dev.medley.config.Env;
import dev.medley.gateway.ConfigSource;
import dev.medley.plan.Plan;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI documents of every docs example parse without a single message in a real OpenAPI
 * parser (swagger-parser), and say what a client generator needs: typed, patterned parameters,
 * response schemas typed from step examples, and each problem answer a route can give.
 */
class OpenApiTest {
  private static final Path EXAMPLES = Path.of("docs/examples");
  private static final Map<String, String> ENV =
      Map.of(
          "MEDLEY_ADMIN_TOKEN",
          "docs-test-token",
          "PARTNER_JWT_SECRET",
          "docs-test-hmac-secret-of-at-least-32-bytes");

  static List<Path> configs() throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      files
          .sorted()
          .forEach(
              p -> {
                if (Files.isDirectory(p) || ConfigFolder.isConfigName(p.getFileName().toString())) {
                  out.add(p);
                }
              });
    }
    return out;
  }

  static Plan plan(Path config) throws IOException {
    ConfigSource source = new ConfigSource(config, Env.of(ENV), null, null);
    ConfigSource.Checked c = source.check(source.readNow());
    assertThat(c.errors()).as(config.toString()).isEmpty();
    return c.plan();
  }

  static OpenAPI parse(ObjectNode doc, String label) {
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult r = new OpenAPIV3Parser().readContents(doc.toString(), null, options);
    assertThat(r.getMessages()).as("parser messages for " + label).isEmpty();
    assertThat(r.getOpenAPI()).as(label).isNotNull();
    return r.getOpenAPI();
  }

  @Test
  void everyExperienceOfEveryDocsExampleParsesWithoutMessages() throws IOException {
    int documents = 0;
    for (Path config : configs()) {
      Plan plan = plan(config);
      for (String experience : OpenApi.experiences(plan)) {
        OpenAPI api = parse(OpenApi.document(plan, experience), config + " " + experience);
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        long routes = plan.spec().experiences().get(experience).routes().size();
        long operations =
            api.getPaths().values().stream().mapToLong(p -> p.readOperations().size()).sum();
        assertThat(operations).as("operations of " + config + " " + experience).isEqualTo(routes);
        documents++;
      }
    }
    assertThat(documents).isGreaterThanOrEqualTo(6);
  }

  @Test
  void productPageDocumentsParametersProblemsAndTypedResponse() throws IOException {
    Plan plan = plan(EXAMPLES.resolve("product-page.yaml"));
    OpenAPI api = parse(OpenApi.document(plan, "web"), "product-page web");
    Operation get = api.getPaths().get("/web/products/{id}").getGet();
    Parameter id = get.getParameters().get(0);
    assertThat(id.getIn()).isEqualTo("path");
    assertThat(id.getRequired()).isTrue();
    assertThat(id.getSchema().getPattern()).isEqualTo("^[0-9]{1,12}$");
    assertThat(get.getResponses().keySet())
        .contains("200", "400", "404", "502", "504")
        .doesNotContain("401", "429");
    assertThat(get.getResponses().get("502").getContent()).containsKey("application/problem+json");
    assertThat(get.getResponses().get("200").getHeaders()).containsKey("X-Medley-Partial");
    Schema<?> body = get.getResponses().get("200").getContent().get("application/json").getSchema();
    assertThat(body.getProperties())
        .containsKeys("id", "name", "price", "availability", "reviews", "kind");
    // Typed from the product step's declared example.
    assertThat(body.getProperties().get("name").getTypes()).containsExactly("string");
    assertThat(body.getProperties().get("id").getTypes()).containsExactly("integer");
    assertThat(body.getProperties().get("kind").getTypes()).containsExactly("string");
  }

  @Test
  void aRepeatedQueryParameterIsDocumentedAsAnArrayOfItsRules() throws IOException {
    Plan plan = plan(EXAMPLES.resolve("query-and-batch.yaml"));
    OpenAPI api = parse(OpenApi.document(plan, "web"), "query-and-batch web");
    Parameter status =
        api.getPaths().get("/web/orders/{id}").getGet().getParameters().stream()
            .filter(p -> p.getName().equals("status"))
            .findFirst()
            .orElseThrow();
    assertThat(status.getSchema().getTypes()).containsExactly("array");
    assertThat(status.getSchema().getMaxItems()).isEqualTo(5);
    assertThat(status.getSchema().getItems().getPattern()).isEqualTo("^[a-z]{1,16}$");
  }

  @Test
  void shapingFormsDeriveTheirSchemaFromTheStepsExamples() throws IOException {
    Plan plan = plan(EXAMPLES.resolve("shaping.yaml"));
    OpenAPI api = parse(OpenApi.document(plan, "shop"), "shaping shop");
    Schema<?> page = okSchema(api, "/shop/products/{id}");
    Schema<?> product = page.getProperties().get("product");
    // $except drops fields at nested paths and under lists; $rename renames in place.
    assertThat(product.getProperties().keySet())
        .containsExactly(
            "id", "name", "brand", "price", "currency", "sellable", "images", "attributes");
    assertThat(product.getProperties().get("price").getTypes()).containsExactly("integer");
    assertThat(product.getProperties().get("images").getItems().getProperties().keySet())
        .containsExactly("thumbnail", "alt");
    assertThat(product.getProperties().get("attributes").getProperties().keySet())
        .containsExactly("category", "color", "material");
    // $each: a list of the picked fields, or of the element's own shape typed from $as.
    Schema<?> related = page.getProperties().get("related");
    assertThat(related.getTypes()).containsExactly("array");
    assertThat(related.getItems().getProperties().keySet()).containsExactly("id", "name", "price");
    Schema<?> reviews = page.getProperties().get("reviews").getItems();
    assertThat(reviews.getProperties().get("stars").getTypes()).containsExactly("integer");
    // $merge, then $pick and $rename, plus an added field.
    assertThat(okSchema(api, "/shop/products/{id}/card").getProperties().keySet())
        .containsExactly("id", "name", "price", "currency", "discountPercent", "label");
    assertThat(
            okSchema(api, "/shop/products/{id}/images")
                .getProperties()
                .get("thumbnails")
                .getTypes())
        .containsExactly("array");
  }

  private static Schema<?> okSchema(OpenAPI api, String path) {
    return api.getPaths()
        .get(path)
        .getGet()
        .getResponses()
        .get("200")
        .getContent()
        .get("application/json")
        .getSchema();
  }

  @Test
  void securedRoutesNeedABearerTokenAndDocumentTheirRefusals() throws IOException {
    Plan plan = plan(EXAMPLES.resolve("secured.yaml"));
    boolean sawScopes = false;
    for (String experience : OpenApi.experiences(plan)) {
      OpenAPI api = parse(OpenApi.document(plan, experience), "secured " + experience);
      for (var item : api.getPaths().values()) {
        for (Operation op : item.readOperations()) {
          if (op.getSecurity() != null) {
            assertThat(op.getResponses()).containsKey("401");
            assertThat(api.getComponents().getSecuritySchemes().get("bearer").getScheme())
                .isEqualTo("bearer");
            sawScopes |= op.getResponses().containsKey("403");
          }
        }
      }
    }
    assertThat(sawScopes).as("a route with scopes documents 403").isTrue();
  }

  @Test
  void passedUpstreamErrorsAreDocumentedResponses() throws IOException {
    Plan plan = plan(EXAMPLES.resolve("upstream-errors.yaml"));
    OpenAPI api = parse(OpenApi.document(plan, "shop"), "upstream-errors shop");
    assertThat(api.getPaths().get("/shop/orders/{id}").getGet().getResponses())
        .containsKeys("404", "429", "502", "504");
    assertThat(api.getPaths().get("/shop/orders/{id}/pay").getPost().getResponses())
        .containsKeys("404", "409", "422", "429");
    assertThat(
            api.getPaths()
                .get("/shop/orders/{id}")
                .getGet()
                .getResponses()
                .get("429")
                .getDescription())
        .contains("passErrors");
    assertThat(api.getPaths().get("/shop/home").getGet().getResponses()).containsKey("502");
  }
}
