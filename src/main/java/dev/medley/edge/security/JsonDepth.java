package dev.medley.edge.security;

import io.vertx.core.buffer.Buffer;

/**
 * Measures how deeply a JSON text nests arrays and objects without parsing it, so an attacker's
 * {@code [[[[...]]]]} is refused before any parser recurses into it. Brackets inside strings do not
 * count; malformed text is left to the parser.
 */
final class JsonDepth {
  private JsonDepth() {}

  /** True when {@code body} nests deeper than {@code max}. */
  static boolean exceeds(Buffer body, int max) {
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    for (int i = 0, n = body.length(); i < n; i++) {
      byte b = body.getByte(i);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        if (++depth > max) {
          return true;
        }
      } else if (b == '}' || b == ']') {
        depth--;
      }
    }
    return false;
  }
}
