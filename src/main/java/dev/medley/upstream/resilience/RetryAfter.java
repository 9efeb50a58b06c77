package dev.medley.upstream.resilience;

import dev.medley.time.Clock;
import io.vertx.core.MultiMap;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an upstream's Retry-After header: delay-seconds or an HTTP date (RFC 9110 section 10.2.3).
 */
final class RetryAfter {
  private RetryAfter() {}

  /** The wait it asks for in nanoseconds; 0 when absent, unreadable or already past. */
  static long nanos(MultiMap headers, Clock clock) {
    String v = headers == null ? null : headers.get("retry-after");
    if (v == null || v.isBlank()) {
      return 0;
    }
    v = v.trim();
    if (v.chars().allMatch(Character::isDigit)) {
      try {
        return Math.multiplyExact(Long.parseLong(v), 1_000_000_000L);
      } catch (NumberFormatException | ArithmeticException e) {
        return Long.MAX_VALUE / 2; // absurdly far: larger than any deadline, so no retry
      }
    }
    try {
      long at =
          ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().toEpochMilli();
      return Math.max(0, at - clock.epochMillis()) * 1_000_000L;
    } catch (DateTimeParseException e) {
      return 0;
    }
  }
}
