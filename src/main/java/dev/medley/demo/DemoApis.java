package dev.medley.demo;

import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.POST;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.IntFunction;

/** The endpoints of each demo service, each a view of {@link DemoProducts}. */
final class DemoApis {
  private static final List<String> WAREHOUSES = List.of("Rotterdam", "Leipzig", "Lyon");
  private static final List<String> GOOD_TITLES =
      List.of("Exactly what I hoped for", "Worth every cent", "My new favourite");
  private static final List<String> FAIR_TITLES =
      List.of("Solid, with one quibble", "Good value", "Comfortable from day one");

  private DemoApis() {}

  /** The routes of one service; the name is one of {@link DemoUpstreams#SERVICES}. */
  static List<DemoRoute> routes(String service) {
    return switch (service) {
      case "product" -> List.of(byId("/products/{id}", "products", DemoProducts::product));
      case "pricing" -> List.of(byId("/prices/{id}", "prices", DemoApis::price));
      case "inventory" -> List.of(byId("/stock/{id}", "stock", DemoApis::stock));
      case "reviews" -> List.of(byId("/summary/{id}", "summary", DemoApis::summary));
      case "catalog" ->
          List.of(
              byId("/items/{id}", "items", DemoApis::item),
              new DemoRoute(POST, "/items:batchGet", "batchGet", (id, body) -> batchGet(body)));
      default -> throw new IllegalArgumentException("no demo service named " + service);
    };
  }

  private static DemoRoute byId(String template, String kind, IntFunction<JsonObject> view) {
    return new DemoRoute(
        GET,
        template,
        kind,
        (id, body) -> {
          int n = DemoProducts.number(id);
          return n == 0 ? Reply.notFound() : Reply.ok(view.apply(n));
        });
  }

  private static JsonObject price(int n) {
    return new JsonObject()
        .put("productId", String.valueOf(n))
        .put("amount", DemoProducts.currentPrice(n))
        .put("currency", "EUR")
        .put("discountPercent", DemoProducts.discountPercent(n));
  }

  private static JsonObject stock(int n) {
    // Non-sellable products and a few others are out of stock, so the page has something to show.
    int quantity = DemoProducts.sellable(n) ? 17 * n % 23 : 0;
    return new JsonObject()
        .put("productId", String.valueOf(n))
        .put("available", quantity > 0)
        .put("quantity", quantity)
        .put("warehouse", WAREHOUSES.get(n % WAREHOUSES.size()));
  }

  private static JsonObject summary(int n) {
    JsonObject summary = new JsonObject().put("productId", String.valueOf(n));
    if (n % 7 == 0) {
      // Unreviewed products show how a page copes with a null average.
      return summary.put("count", 0).put("average", null).put("top", new JsonArray());
    }
    String noun = DemoProducts.kindNoun(n);
    String good = "Took the %s on a week-long trip and it held up to everything.".formatted(noun);
    String fair = "Does the job well, though I wish the %s came in more colours.".formatted(noun);
    JsonArray top =
        new JsonArray()
            .add(review(5, GOOD_TITLES.get(n % GOOD_TITLES.size()), good))
            .add(review(4, FAIR_TITLES.get(n % FAIR_TITLES.size()), fair));
    return summary
        .put("count", 3 + 29 * n % 140)
        .put("average", (35 + 3 * n % 15) / 10.0)
        .put("top", top);
  }

  private static JsonObject review(int rating, String title, String text) {
    return new JsonObject().put("rating", rating).put("title", title).put("text", text);
  }

  private static JsonObject item(int n) {
    return new JsonObject()
        .put("id", String.valueOf(n))
        .put("name", DemoProducts.name(n))
        .put("thumbnail", DemoProducts.thumbnail(n, 1))
        .put("price", DemoProducts.currentPrice(n));
  }

  /** Items in the order asked, duplicates kept, unknown ids left out. */
  private static Reply batchGet(Buffer body) {
    JsonArray ids = ids(body);
    if (ids == null) {
      return Reply.badRequest("expected a JSON body like {\"ids\": [\"1\", \"2\"]}");
    }
    JsonArray items = new JsonArray();
    for (Object id : ids) {
      int n = DemoProducts.number(String.valueOf(id));
      if (n != 0) {
        items.add(item(n));
      }
    }
    return Reply.ok(new JsonObject().put("items", items));
  }

  private static JsonArray ids(Buffer body) {
    try {
      return Json.decodeValue(body) instanceof JsonObject json
              && json.getValue("ids") instanceof JsonArray ids
          ? ids
          : null;
    } catch (DecodeException e) {
      return null;
    }
  }
}
