package dev.medley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.medley.config.BodyUse;
import dev.medley.json.Json;
import dev.medley.plan.StepPlan;
import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamResponse;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a step's successful upstream answer as the step declared ({@code responseType}): JSON
 * parsed (the default), text as a string, or, for a pass-through route's step, the answer itself
 * unread. A body the step cannot read fails the step (502) with a detail naming its type.
 */
final class AnswerReader {
  private AnswerReader() {}

  static JsonNode read(StepPlan step, UpstreamResponse resp) {
    String mode = step.bodyUse().responseType();
    if (mode.equals(BodyUse.RAW)) {
      // Statuses below 500 are the upstream's answer to the client; 5xx is a failed call (502).
      if (resp.status() < 200 || resp.status() > 499) {
        // Carries the answer, so a route's passErrors can still hand a 5xx to the client.
        throw UpstreamException.status(step.upstream(), resp);
      }
      return new RawAnswer(resp);
    }
    if (resp.status() == 204
        || resp.body() == null
        || resp.body().length() == 0
        || "HEAD".equals(step.method())) {
      return NullNode.getInstance();
    }
    // The default reads JSON whatever the type says, exactly as before: the type is only looked at
    // for the other modes, or to explain a body that did not parse.
    String type = mode.equals("json") ? null : mediaType(resp.headers().get("content-type"));
    if (mode.equals("text") || (mode.equals("auto") && type != null && type.startsWith("text/"))) {
      if (type != null && !textual(type)) {
        throw notReadable(step, type, "text");
      }
      return TextNode.valueOf(resp.body().toString(charset(resp.headers().get("content-type"))));
    }
    if (mode.equals("auto") && type != null && !json(type)) {
      throw notReadable(step, type, "JSON or text");
    }
    try {
      return Json.parse(resp.body());
    } catch (IOException e) {
      String actual = type != null ? type : mediaType(resp.headers().get("content-type"));
      throw new UpstreamException(
          UpstreamException.Kind.BAD_BODY,
          step.upstream(),
          "upstream '"
              + step.upstream()
              + "' answered something that is not JSON"
              + (actual == null ? "" : " (" + actual + ")")
              + (actual != null && actual.startsWith("text/")
                  ? "; responseType: text reads it as a string"
                  : ""));
    }
  }

  private static UpstreamException notReadable(StepPlan step, String type, String expected) {
    return new UpstreamException(
        UpstreamException.Kind.BAD_BODY,
        step.upstream(),
        "upstream '"
            + step.upstream()
            + "' answered "
            + (type == null ? "a body without Content-Type" : type)
            + ", which a step cannot read (expected "
            + expected
            + "; a proxy route passes any type through)");
  }

  /** The lower-case media type without parameters, or null. */
  static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .trim()
        .toLowerCase(Locale.ROOT);
  }

  private static boolean json(String type) {
    return type.equals("application/json") || type.endsWith("+json");
  }

  /** Types whose bytes are characters: text/*, JSON and XML. */
  private static boolean textual(String type) {
    return type != null
        && (type.startsWith("text/")
            || json(type)
            || type.equals("application/xml")
            || type.endsWith("+xml"));
  }

  /** The charset parameter of {@code contentType}, UTF-8 when absent or unknown. */
  private static Charset charset(String contentType) {
    int at = contentType == null ? -1 : contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
    if (at < 0) {
      return StandardCharsets.UTF_8;
    }
    String name = contentType.substring(at + 8).split(";", 2)[0].trim().replace("\"", "");
    try {
      return Charset.forName(name);
    } catch (IllegalArgumentException e) {
      return StandardCharsets.UTF_8;
    }
  }
}
