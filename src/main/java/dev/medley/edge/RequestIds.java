package dev.medley.edge;

import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Request ids: a client's {@code X-Request-Id} when it is safe to echo, otherwise a new one. */
final class RequestIds {
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {}

  static String accept(String offered) {
    if (offered != null && SAFE.matcher(offered).matches()) {
      return offered;
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
  }
}
