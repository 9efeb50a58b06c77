package dev.medley.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * The demo's product data, derived from the id alone so every run and every service agree: ids 1 to
 * 50 exist, every tenth is not sellable, every third has no sale price, every seventh has no
 * reviews.
 */
final class DemoProducts {
  static final int COUNT = 50;

  /** Five styles times ten kinds gives fifty distinct names. */
  private static final List<String> STYLES =
      List.of("Trail", "Alpine", "Urban", "Coastal", "Summit");

  private static final List<String> STYLE_LINES =
      List.of(
          "Built for fast days on dirt and gravel.",
          "Made to handle thin air, cold mornings and long ridgelines.",
          "Understated enough for the commute, tough enough for the weekend.",
          "Shrugs off salt spray, sand and the odd rogue wave.",
          "Tuned for the last push to the top, when every gram counts.");

  private static final List<Kind> KINDS =
      List.of(
          new Kind("Running Shoe", "footwear", "recycled mesh", 280),
          new Kind("Rain Jacket", "outerwear", "3-layer nylon", 390),
          new Kind("Daypack", "bags", "ripstop polyester", 620),
          new Kind("Fleece Pullover", "midlayers", "brushed fleece", 340),
          new Kind("Headlamp", "lighting", "aluminium", 85),
          new Kind("Hiking Boot", "footwear", "waxed leather", 540),
          new Kind("Insulated Bottle", "hydration", "stainless steel", 410),
          new Kind("Trekking Pole", "accessories", "carbon fibre", 230),
          new Kind("Softshell Pant", "bottoms", "stretch nylon", 360),
          new Kind("Sleeping Bag", "camping", "recycled down", 980));

  /** One line per kind, in the order of {@link #KINDS}. */
  private static final List<String> KIND_LINES =
      List.of(
          "A grippy outsole and a cushioned midsole keep long runs comfortable on mixed ground.",
          "Taped seams and an adjustable hood keep the weather out without trapping heat.",
          "A padded back panel and a hydration sleeve make it easy to carry a full day's kit.",
          "The brushed fabric holds warmth while staying breathable under a shell.",
          "A tilting beam and a rechargeable battery light the way well after sunset.",
          "A supportive collar and a stiff shank steady each step on rocky paths.",
          "Double walls keep drinks cold for a day or hot through a long morning.",
          "Flick locks change the length in seconds, and the cork grip stays comfortable.",
          "Four-way stretch and a water-repellent finish keep you moving in changeable weather.",
          "A contoured hood and a draft collar hold warmth on cold nights.");

  private static final List<String> BRANDS =
      List.of("Northvale", "Fernhollow", "Stonecairn", "Larchwood", "Kestrel Outdoor", "Greyfell");
  private static final List<String> COLORS =
      List.of("Slate", "Moss", "Ember", "Glacier", "Sand", "Midnight", "Heather");
  private static final List<String> VIEWS = List.of("front view", "side view", "detail");

  private record Kind(String noun, String category, String material, int grams) {}

  private DemoProducts() {}

  /** The product number for a path id, or 0 when no such product exists. */
  static int number(String id) {
    if (id == null || !id.matches("[1-9][0-9]?")) {
      return 0;
    }
    int n = Integer.parseInt(id);
    return n <= COUNT ? n : 0;
  }

  static String name(int n) {
    return STYLES.get((n - 1) % STYLES.size()) + " " + kind(n).noun();
  }

  static boolean sellable(int n) {
    return n % 10 != 0;
  }

  static double basePrice(int n) {
    return 19.0 + ((7 * n + 4) % 12) * 10;
  }

  /** Percent off the base price; 0 when the product is not on sale. */
  static int discountPercent(int n) {
    return n % 3 == 0 ? 0 : 10 + (3 * n % 4) * 5;
  }

  /** The sale price, or null when there is no sale. */
  static Double salePrice(int n) {
    int off = discountPercent(n);
    return off == 0 ? null : Math.round(basePrice(n) * (100 - off)) / 100.0;
  }

  /** What a customer pays today. */
  static double currentPrice(int n) {
    Double sale = salePrice(n);
    return sale == null ? basePrice(n) : sale;
  }

  static String thumbnail(int n, int image) {
    return imageUrl(n, "thumb", image);
  }

  /** The full product document served by the product service. */
  static JsonObject product(int n) {
    return new JsonObject()
        .put("id", String.valueOf(n))
        .put("name", name(n))
        .put("brand", brand(n))
        .put("description", description(n))
        .put("basePrice", basePrice(n))
        .put("salePrice", salePrice(n))
        .put("currency", "EUR")
        .put("sellable", sellable(n))
        .put("images", images(n))
        .put("attributes", attributes(n))
        .put("relatedIds", relatedIds(n));
  }

  static String kindNoun(int n) {
    return kind(n).noun().toLowerCase(Locale.ROOT);
  }

  private static Kind kind(int n) {
    return KINDS.get((n - 1) / STYLES.size());
  }

  private static String brand(int n) {
    return BRANDS.get(5 * n % BRANDS.size());
  }

  private static String description(int n) {
    String opening =
        "The %s from %s is made for people who would rather be outside."
            .formatted(name(n), brand(n));
    return String.join(
        " ",
        opening,
        STYLE_LINES.get((n - 1) % STYLES.size()),
        KIND_LINES.get((n - 1) / STYLES.size()),
        "Every order ships free and can be returned within 30 days.");
  }

  private static JsonArray images(int n) {
    JsonArray images = new JsonArray();
    for (int i = 1; i <= 2 + n % 2; i++) {
      images.add(
          new JsonObject()
              .put("thumbnail", thumbnail(n, i))
              .put("full", imageUrl(n, "full", i))
              .put("alt", name(n) + ", " + VIEWS.get(i - 1)));
    }
    return images;
  }

  private static String imageUrl(int n, String size, int image) {
    String suffix = image == 1 ? "" : "-" + image;
    return "https://img.example/p/" + n + "/" + size + suffix + ".jpg";
  }

  private static JsonObject attributes(int n) {
    return new JsonObject()
        .put("category", kind(n).category())
        .put("color", COLORS.get(n % COLORS.size()))
        .put("material", kind(n).material())
        .put("weight", (kind(n).grams() + 7 * n % 40) + " g");
  }

  /** Four other products, spread over the range; a step of 7 never wraps back onto {@code n}. */
  private static JsonArray relatedIds(int n) {
    JsonArray ids = new JsonArray();
    for (int k = 1; k <= 4; k++) {
      ids.add(String.valueOf((n - 1 + 7 * k) % COUNT + 1));
    }
    return ids;
  }
}
