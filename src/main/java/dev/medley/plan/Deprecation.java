package dev.medley.plan;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The compiled {@code deprecated:} of a route: the header values every response of the route
 * carries, computed once. Only the successor link depends on the request (its path parameters).
 */
public final class Deprecation {
  /**
   * Two-digit day, English names, always GMT (RFC_1123_DATE_TIME would write "1 Jul", not "01
   * Jul").
   */
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private final Instant since;
  private final Instant sunset;
  private final String deprecationHeader;
  private final String sunsetHeader;
  private final String successor;

  /**
   * Successor template split at its variables: literal, position, literal, position, ..., literal.
   */
  private final String[] literals;

  private final int[] positions;

  Deprecation(Instant since, Instant sunset, String successor, String[] literals, int[] positions) {
    this.since = since;
    this.sunset = sunset;
    // RFC 9745 section 2: an sf-date Item, "@" followed by integer seconds since the epoch.
    this.deprecationHeader = "@" + since.getEpochSecond();
    // RFC 8594 section 3: an HTTP-date, i.e. the IMF-fixdate of RFC 9110 section 5.6.7.
    this.sunsetHeader = sunset == null ? null : IMF_FIXDATE.format(sunset);
    this.successor = successor;
    this.literals = literals;
    this.positions = positions;
  }

  public Instant since() {
    return since;
  }

  /** The sunset instant, or null. */
  public Instant sunset() {
    return sunset;
  }

  /** The successor template as written, or null. */
  public String successor() {
    return successor;
  }

  /** The {@code Deprecation} header value, e.g. {@code @1767225599}. */
  public String deprecationHeader() {
    return deprecationHeader;
  }

  /**
   * The {@code Sunset} header value, e.g. {@code Thu, 31 Dec 2026 23:59:59 GMT}; null without a
   * sunset.
   */
  public String sunsetHeader() {
    return sunsetHeader;
  }

  /**
   * The {@code Link} header value naming the successor with this request's path values filled in
   * (percent-encoded), or null without a successor.
   */
  public String linkHeader(String[] pathValues) {
    if (successor == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder("<").append(literals[0]);
    for (int i = 0; i < positions.length; i++) {
      sb.append(Encoding.component(pathValues[positions[i]])).append(literals[i + 1]);
    }
    return sb.append(">; rel=\"successor-version\"").toString();
  }
}
