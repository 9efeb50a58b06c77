package dev.medley.engine;

import dev.medley.config.PassErrorsSpec;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.buffer.Buffer;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a critical step's upstream error answer into the route's failure when the step passes that
 * status ({@code passErrors}): the status, the upstream's {@code Retry-After}, and, when asked and
 * safe, the body with its content type. No other upstream header passes (hop-by-hop headers,
 * cookies and internal headers stay behind).
 */
final class PassThrough {
  private static final Pattern DELTA_SECONDS = Pattern.compile("\\d{1,10}");

  private PassThrough() {}

  /** The failure to answer with, or null when {@code e} is not an error this step passes. */
  static RouteFailure of(String step, PassErrorsSpec pass, StepException e) {
    UpstreamResponse a = e.answer;
    if (pass == null || a == null || !pass.passes(a.status())) {
      return null;
    }
    String contentType = null;
    Buffer body = null;
    if (pass.passesBody(a.status())
        && a.body() != null
        && a.body().length() > 0
        && a.body().length() <= pass.maxBodySize()) {
      String type = a.headers() == null ? null : a.headers().get("content-type");
      if (allowedType(type)) {
        contentType = type;
        body = a.body();
      }
    }
    String retryAfter = a.headers() == null ? null : retryAfter(a.headers().get("retry-after"));
    return RouteFailure.passed(
        step,
        a.status(),
        "step '" + step + "' failed: " + e.getMessage(),
        new RouteFailure.Passed(retryAfter, contentType, body));
  }

  /**
   * JSON (problem+json and other {@code +json} types included) or plain text: types a client can
   * read and that cannot carry markup or scripts into a browser.
   */
  static boolean allowedType(String type) {
    if (type == null) {
      return false;
    }
    int semi = type.indexOf(';');
    String media = (semi < 0 ? type : type.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    return media.equals("application/json")
        || (media.startsWith("application/") && media.endsWith("+json"))
        || media.equals("text/plain");
  }

  /** {@code value} when it is a valid Retry-After (delta-seconds or an HTTP date), else null. */
  static String retryAfter(String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    if (DELTA_SECONDS.matcher(v).matches()) {
      return v;
    }
    try {
      ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
      return v;
    } catch (DateTimeParseException ex) {
      return null;
    }
  }
}
