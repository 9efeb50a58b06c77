package dev.medley.config;

import java.util.regex.Pattern;

/**
 * Load-time checks of a step's batch and forEach-pairing keys that need more than one key to see: a
 * batch call that never sends its items, a body on a GET batch call, and {@code merge} outside a
 * forEach step. Kept apart from {@link ConfigLoader} so the loader stays a reader.
 */
final class BatchChecks {
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
  private static final Pattern ITEMS = Pattern.compile("\\{\\s*items\\s*[.}]");

  private BatchChecks() {}

  /** Reports what cannot work in {@code batch}; {@code n} is the batch mapping. */
  static void check(YNode n, YNode.Fields f, BatchSpec b) {
    if (b.body() != null && b.method().equals("GET")) {
      f.node("body")
          .error(
              "a GET batch call sends no body (send the keys as repeated query parameters:"
                  + " query: { id: \"{items}\" }, or use method: POST)");
      return;
    }
    boolean sends =
        mentionsItems(b.path())
            || b.query().values().stream().anyMatch(BatchChecks::mentionsItems)
            || (b.body() != null && mentionsItems(b.body()));
    if (!sends && b.path() != null) {
      n.error(
          "the batch call never sends its items (expected {items} in query, body or path, e.g."
              + " query: { id: \"{items}\" } for GET /users?id=1&id=2, or body: { ids:"
              + " \"{items}\" })");
    }
  }

  /**
   * The {@code merge} of a step: null when absent or false, empty for {@code true} (fields merged
   * into the item), else the key the result is put under. Reports it on a step without forEach.
   */
  static String merge(YNode.Fields f, boolean forEach) {
    if (!f.has("merge")) {
      return null;
    }
    YNode n = f.node("merge");
    String v = n.scalar();
    if (v == null || v.equals("false")) {
      return null;
    }
    if (!forEach) {
      n.error(
          "merge needs forEach: it pairs each item with its own result (expected a forEach"
              + " expression on this step, or remove merge)");
      return null;
    }
    if (v.equals("true")) {
      return "";
    }
    if (!NAME.matcher(v).matches()) {
      n.error("'" + v + "' (expected true, false or a field name such as product for merge)");
      return null;
    }
    return v;
  }

  private static boolean mentionsItems(Text t) {
    return t != null && ITEMS.matcher(t.value()).find();
  }

  private static boolean mentionsItems(ValueSpec v) {
    return switch (v) {
      case ValueSpec.Str s -> mentionsItems(s.text());
      case ValueSpec.Obj o -> o.fields().values().stream().anyMatch(BatchChecks::mentionsItems);
      case ValueSpec.Arr a -> a.items().stream().anyMatch(BatchChecks::mentionsItems);
      case ValueSpec.Literal l -> false;
    };
  }
}
