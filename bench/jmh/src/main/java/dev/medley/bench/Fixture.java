package dev.medley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.config.ConfigLoader;
import dev.medley.config.Env;
import dev.medley.json.Json;
import dev.medley.plan.Plan;
import dev.medley.plan.PlanCompiler;
import dev.medley.plan.RoutePlan;
import dev.medley.plan.Scope;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What every benchmark starts from: the bench config (bench/config/medley-bench.yaml) compiled into
 * a plan, and the upstream bodies of the nginx stubs, so micro and macro numbers describe the same
 * page.
 */
final class Fixture {
  static final String PRODUCT = "{\"id\":1,\"name\":\"Trailblazer 2 Waterproof Hiking Boot\","
      + "\"description\":\"A lightweight, fully waterproof hiking boot with a breathable membrane, a grippy "
      + "multi-directional lug outsole and a cushioned EVA midsole for all-day comfort on rocky trails. Padded "
      + "collar, gusseted tongue and a reinforced toe cap.\",\"images\":["
      + "{\"url\":\"https://img.shop.example.com/p/1/main.jpg\",\"thumbnail\":\"https://img.shop.example.com/p/1/main_t.jpg\"},"
      + "{\"url\":\"https://img.shop.example.com/p/1/side.jpg\",\"thumbnail\":\"https://img.shop.example.com/p/1/side_t.jpg\"},"
      + "{\"url\":\"https://img.shop.example.com/p/1/sole.jpg\",\"thumbnail\":\"https://img.shop.example.com/p/1/sole_t.jpg\"}"
      + "],\"basePrice\":149.99,\"salePrice\":119.99}";
  static final String PRICE = "{\"amount\":119.99,\"currency\":\"EUR\"}";
  static final String STOCK = "{\"available\":true,\"quantity\":42}";
  static final String SUMMARY = "{\"count\":318,\"average\":4.6}";
  static final String LIST;
  static final String BATCH;

  static {
    StringBuilder ids = new StringBuilder();
    StringBuilder items = new StringBuilder();
    for (int i = 1; i <= 20; i++) {
      ids.append(i > 1 ? "," : "").append(100 + i);
      items.append(i > 1 ? "," : "").append("{\"id\":").append(100 + i).append(",\"name\":\"Trail sock ").append(i)
          .append("\",\"price\":{\"amount\":").append(4.5 + i * 0.25).append(",\"currency\":\"EUR\"},\"inStock\":")
          .append(i % 3 != 0).append('}');
    }
    LIST = "{\"id\":1,\"title\":\"Socks for the trail\",\"ids\":[" + ids + "]}";
    BATCH = "{\"items\":[" + items + "]}";
  }

  private Fixture() {}

  /** The bench config, with each upstream URL replaced as {@code urls} says (e.g. in-process ports). */
  static Plan plan(Map<String, String> urls) {
    String text;
    try (InputStream in = Fixture.class.getResourceAsStream("/medley-bench.yaml")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (Map.Entry<String, String> e : urls.entrySet()) {
      text = text.replace(e.getKey(), e.getValue());
    }
    ConfigLoader.Result loaded = new ConfigLoader(Env.of(Map.of())).parse(text, "medley-bench.yaml");
    if (!loaded.ok()) {
      throw new IllegalStateException("bench config: " + loaded.errors());
    }
    PlanCompiler.Result r = PlanCompiler.compile(loaded.spec(), "jmh");
    if (!r.ok()) {
      throw new IllegalStateException("bench config: " + r.errors());
    }
    return r.plan();
  }

  static RoutePlan route(Plan plan, String template) {
    return plan.routes().stream().filter(r -> r.template().equals(template)).findFirst()
        .orElseThrow(() -> new IllegalStateException("no route " + template));
  }

  /** A request scope for {@code route} with id 1 and every step already answered. */
  static Scope answered(RoutePlan route) {
    Scope s = new Scope(Map.of("id", "1"), Map.of(), Map.of(), Json.MAPPER.createObjectNode(), null,
        route.steps().length);
    Map<String, String> bodies = Map.of("product", PRODUCT, "price", PRICE, "stock", STOCK, "reviews", SUMMARY,
        "list", LIST);
    for (int i = 0; i < route.steps().length; i++) {
      String body = bodies.get(route.steps()[i].name());
      s.setStep(i, body == null ? Json.MAPPER.nullNode() : parse(body));
    }
    return s;
  }

  static JsonNode parse(String json) {
    try {
      return Json.parse(json.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
