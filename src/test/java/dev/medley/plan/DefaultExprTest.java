package dev.medley.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code a != null ? a : b} runs without CEL's interpreter and answers exactly what CEL answers:
 * the same expression written so the fast path does not recognise it ({@code (a != null) ? ...}) is
 * evaluated by CEL beside it, for present, null and missing values.
 */
@Tag("fast")
class DefaultExprTest {
  private static final String CONFIG =
      """
      version: 1
      upstreams:
        product: { url: "http://127.0.0.1:9101" }
      experiences:
        web:
          routes:
            GET /p/{id}:
              steps:
                product: { upstream: product, path: "/products/{id}" }
              response:
                fast: "product.salePrice != null ? product.salePrice : product.basePrice"
                cel: "(product.salePrice != null) ? product.salePrice : product.basePrice"
                fastDeep: "product.images[0].thumb != null ? product.images[0].thumb : product.images[1].thumb"
                celDeep: "(product.images[0].thumb != null) ? product.images[0].thumb : product.images[1].thumb"
      """;

  private static RoutePlan route() {
    ConfigLoader.Result r = new ConfigLoader(Env.of(Map.of())).parse(CONFIG, "t.yaml");
    PlanCompiler.Result c = PlanCompiler.compile(r.spec(), "v");
    assertThat(c.errors()).isEmpty();
    return c.plan().routes().get(0);
  }

  private static Expr field(RoutePlan route, String name) {
    Shape.Obj o = (Shape.Obj) route.response();
    return ((Shape.Eval) o.shapes()[Arrays.asList(o.names()).indexOf(name)]).expr();
  }

  @Test
  void valueOrDefaultSkipsTheInterpreter() {
    RoutePlan route = route();
    assertThat(field(route, "fast")).isInstanceOf(DefaultExpr.class);
    assertThat(field(route, "fastDeep")).isInstanceOf(DefaultExpr.class);
    assertThat(field(route, "cel")).isInstanceOf(CelExpr.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"salePrice\":119.99,\"basePrice\":149.99,\"images\":[{\"thumb\":\"a\"},{\"thumb\":\"b\"}]}",
        "{\"salePrice\":null,\"basePrice\":10,\"images\":[{\"thumb\":null},{\"thumb\":\"b\"}]}",
        "{\"basePrice\":10,\"images\":[{}]}",
        "{\"salePrice\":null,\"images\":[{\"thumb\":null}]}",
        "{\"salePrice\":{\"amount\":5},\"basePrice\":\"x\",\"images\":[]}",
        "null",
        "[1,2]"
      })
  void answersWhatCelAnswers(String product) throws Exception {
    RoutePlan route = route();
    Scope scope =
        new Scope(Map.of("id", "1"), Map.of(), Map.of(), Json.MAPPER.createObjectNode(), null, 1);
    scope.setStep(0, Json.parse(product.getBytes(StandardCharsets.UTF_8)));
    JsonNode page = route.response().render(scope);
    assertThat(page.get("fast").toString())
        .as("plain path or default")
        .isEqualTo(page.get("cel").toString());
    assertThat(page.get("fastDeep").toString())
        .as("indexed paths")
        .isEqualTo(page.get("celDeep").toString());
  }
}
