package dev.medley.devtools;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Whether an answer contains what a test expects: every field an expected object names must be in
 * the actual object with a matching value (other fields may be there too); lists match item by item
 * and must be as long; numbers match by value (1 matches 1.0). Mismatches come back as a diff, one
 * entry per JSON path.
 */
final class JsonSubset {
  private JsonSubset() {}

  /** One difference: where, what was expected, what came (null when the field is missing). */
  record Mismatch(String path, JsonNode expected, JsonNode actual) {
    /** Three lines: the path, {@code - expected}, {@code + actual}. */
    List<String> lines() {
      return List.of(
          path, "- " + expected, "+ " + (actual == null ? "(missing)" : actual.toString()));
    }
  }

  static List<Mismatch> compare(JsonNode expected, JsonNode actual) {
    List<Mismatch> out = new ArrayList<>();
    compare("$", expected, actual, out);
    return out;
  }

  private static void compare(String path, JsonNode expected, JsonNode actual, List<Mismatch> out) {
    if (actual == null || actual.isMissingNode()) {
      out.add(new Mismatch(path, expected, null));
    } else if (expected.isObject()) {
      if (!actual.isObject()) {
        out.add(new Mismatch(path, expected, actual));
        return;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        compare(path + "." + e.getKey(), e.getValue(), actual.get(e.getKey()), out);
      }
    } else if (expected.isArray()) {
      if (!actual.isArray() || actual.size() != expected.size()) {
        out.add(new Mismatch(path, expected, actual));
        return;
      }
      for (int i = 0; i < expected.size(); i++) {
        compare(path + "[" + i + "]", expected.get(i), actual.get(i), out);
      }
    } else if (expected.isNumber() && actual.isNumber()) {
      if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
        out.add(new Mismatch(path, expected, actual));
      }
    } else if (!expected.equals(actual)) {
      out.add(new Mismatch(path, expected, actual));
    }
  }
}
