package dev.medley.observe.internal;

/**
 * A hand-written check of a W3C {@code traceparent} value, for pass-through mode: cheaper than a
 * parse into span objects and a re-serialisation, and it forwards the caller's exact bytes.
 */
final class TraceParent {
  private static final int LENGTH_V00 = 55;

  private TraceParent() {}

  /**
   * True for {@code vv-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}, ids not all zero, vv
   * not ff.
   */
  static boolean valid(String tp) {
    if (tp == null || tp.length() < LENGTH_V00) {
      return false;
    }
    if (!hex(tp, 0, 2)
        || tp.startsWith("ff")
        || tp.charAt(2) != '-'
        || tp.charAt(35) != '-'
        || tp.charAt(52) != '-') {
      return false;
    }
    if (!hex(tp, 3, 35)
        || !hex(tp, 36, 52)
        || !hex(tp, 53, 55)
        || zeros(tp, 3, 35)
        || zeros(tp, 36, 52)) {
      return false;
    }
    // Version 00 is exactly 55 characters; later versions may append fields after another dash.
    return tp.length() == LENGTH_V00 ? true : !tp.startsWith("00") && tp.charAt(LENGTH_V00) == '-';
  }

  /** The trace id of a {@link #valid} value. */
  static String traceId(String tp) {
    return tp.substring(3, 35);
  }

  private static boolean hex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean zeros(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
