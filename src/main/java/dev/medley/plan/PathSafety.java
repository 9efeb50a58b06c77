package dev.medley.plan;

/**
 * Decides whether a value placed in an upstream path could change which path a server serves once
 * it decodes the value. Servers differ: nginx decodes {@code %2F} and then resolves dot-segments,
 * Windows servers split on {@code \}, and a chain of proxies may decode twice. So a value is
 * refused when, at any depth of percent-decoding, it is or contains a dot-segment ({@code .} or
 * {@code ..} between {@code /} or {@code \}), or contains {@code /} or {@code \} at all unless
 * slashes were allowed, or holds an overlong UTF-8 byte ({@code %C0}, {@code %C1}) that lenient
 * decoders turn into {@code /} or {@code .}. Values without {@code %}, {@code .}, {@code /} and
 * {@code \} (most ids) are checked in one scan without allocating.
 */
public final class PathSafety {
  /**
   * Deeper encodings than this are refused outright: no legitimate value is encoded eight times.
   */
  private static final int MAX_DEPTH = 8;

  private PathSafety() {}

  /** Why {@code value} could change the upstream path, or null when it cannot. */
  public static String problem(String value, boolean slashesAllowed) {
    String v = value;
    for (int depth = 0; depth <= MAX_DEPTH; depth++) {
      String why = problemAtThisDepth(v, slashesAllowed);
      if (why != null) {
        return depth == 0 ? why : why + " once percent-decoded";
      }
      if (v.indexOf('%') < 0) {
        return null;
      }
      String decoded = decodeOnce(v);
      if (decoded == null) {
        return "holds an overlong UTF-8 encoding";
      }
      if (decoded.equals(v)) {
        return null;
      }
      v = decoded;
    }
    return "is percent-encoded more than " + MAX_DEPTH + " times";
  }

  private static String problemAtThisDepth(String v, boolean slashesAllowed) {
    int segmentStart = 0;
    for (int i = 0; i <= v.length(); i++) {
      char c = i < v.length() ? v.charAt(i) : '/';
      if (c == '/' || c == '\\') {
        if (i < v.length() && !slashesAllowed) {
          return "contains " + (c == '/' ? "a slash" : "a backslash");
        }
        int len = i - segmentStart;
        if ((len == 1 || len == 2) && v.charAt(segmentStart) == '.' && v.charAt(i - 1) == '.') {
          return "contains a dot-segment";
        }
        segmentStart = i + 1;
      }
    }
    return null;
  }

  /**
   * One round of percent-decoding, bytes as Latin-1 (only ASCII matters here); sequences that are
   * not {@code %XX} stay as they are. Null for an overlong UTF-8 lead byte.
   */
  private static String decodeOnce(String v) {
    StringBuilder out = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      int hi = c == '%' && i + 2 < v.length() ? Character.digit(v.charAt(i + 1), 16) : -1;
      int lo = hi < 0 ? -1 : Character.digit(v.charAt(i + 2), 16);
      if (lo < 0) {
        out.append(c);
        continue;
      }
      int b = hi * 16 + lo;
      if (b == 0xC0 || b == 0xC1) {
        return null;
      }
      out.append((char) b);
      i += 2;
    }
    return out.toString();
  }
}
