package dev.medley.demo;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a demo service behaves right now; switched at run time to show the gateway degrading. */
public enum FaultMode {
  /** Normal answers. */
  OK,
  /** Refuses connections, and drops the ones already open. */
  DOWN,
  /** Answers normally, but only after the configured slow delay. */
  SLOW,
  /** Answers every request with a 500 and a JSON error body. */
  ERROR;

  /** Reads {@code ok|down|slow|error}, ignoring case; anything else names the valid values. */
  public static FaultMode parse(String text) {
    for (FaultMode mode : values()) {
      if (mode.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return mode;
      }
    }
    throw new IllegalArgumentException(
        "faultMode: " + text + " (expected one of: " + validNames() + ")");
  }

  private static String validNames() {
    return Arrays.stream(values())
        .map(m -> m.name().toLowerCase(Locale.ROOT))
        .collect(Collectors.joining(", "));
  }
}
