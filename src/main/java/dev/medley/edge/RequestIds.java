package dev.medley.edge;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: a client's {@code X-Request-Id} when it is safe to echo, otherwise a new one. */
final class RequestIds {
  private RequestIds() {}

  static String accept(String offered) {
    if (safe(offered)) {
      return offered;
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return Long.toHexString(r.nextLong() | Long.MIN_VALUE)
        + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
  }

  /** 1 to 128 of A-Z a-z 0-9 . _ : - (a loop rather than a regex: this runs on every request). */
  static boolean safe(String s) {
    if (s == null || s.isEmpty() || s.length() > 128) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
