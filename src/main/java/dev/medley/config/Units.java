package dev.medley.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the unit-bearing values of the config language: durations, byte sizes and rates. */
public final class Units {
  private static final Pattern DURATION = Pattern.compile("^(\\d+)(ms|s|m|h)$");
  private static final Pattern SIZE = Pattern.compile("^(\\d+)(B|KiB|MiB|GiB)$");
  private static final Pattern RATE = Pattern.compile("^(\\d+)/(s|sec|min|h)$");

  private Units() {}

  /** {@code 250ms}, {@code 2s}, {@code 5m}, {@code 1h}; or null when the text is not one. */
  public static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    try {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    } catch (NumberFormatException | ArithmeticException e) {
      // Too large for a long or a Duration: report it like any other bad duration instead of
      // escaping the loader.
      return null;
    }
  }

  /** {@code 512B}, {@code 64KiB}, {@code 10MiB}, {@code 1GiB} as bytes; or -1. */
  public static long bytes(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      return -1;
    }
    try {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "B" -> n;
        case "KiB" -> Math.multiplyExact(n, 1L << 10);
        case "MiB" -> Math.multiplyExact(n, 1L << 20);
        default -> Math.multiplyExact(n, 1L << 30);
      };
    } catch (NumberFormatException | ArithmeticException e) {
      // A shift would wrap silently to a wrong (even positive) size; refuse it instead.
      return -1;
    }
  }

  /** {@code 600/min} as events per second; or -1. */
  public static double perSecond(String text) {
    Matcher m = RATE.matcher(text.trim());
    if (!m.matches()) {
      return -1;
    }
    double n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return -1;
    }
    return switch (m.group(2)) {
      case "s", "sec" -> n;
      case "min" -> n / 60.0;
      default -> n / 3600.0;
    };
  }
}
