package dev.medley.edge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.medley.engine.Upstreams;
import dev.medley.json.Json;
import dev.medley.plan.BodyPlan;
import dev.medley.upstream.UpstreamCall;
import dev.medley.upstream.UpstreamRequest;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * A client body on a route with {@link BodyPlan body rules}: which kind it is, what templates see
 * of it ({@code body}), and the steps it is sent to as received. Routes without such rules never
 * get here; they read JSON as they always did.
 */
public final class ClientBody {
  /** The body kinds of {@code requestBody.accept}. */
  public enum Kind {
    JSON,
    FORM,
    TEXT,
    BYTES
  }

  private static final String FORM = "application/x-www-form-urlencoded";

  private ClientBody() {}

  /** How a body of {@code contentType} is taken on a route with {@code plan}; null: refused. */
  public static Kind kind(BodyPlan plan, String contentType) {
    String type = mediaType(contentType);
    if (type == null) {
      return plan.jsonWithoutContentType() ? Kind.JSON : null;
    }
    Kind k;
    boolean accepted;
    if (type.equals("application/json")
        || (type.startsWith("application/") && type.endsWith("+json"))) {
      k = Kind.JSON;
      accepted = plan.json();
    } else if (type.equals(FORM)) {
      k = Kind.FORM;
      accepted = plan.form();
    } else if (type.startsWith("text/")) {
      k = Kind.TEXT;
      accepted = plan.text();
    } else {
      k = Kind.BYTES;
      accepted = false;
    }
    return accepted ? k : plan.bytes() ? Kind.BYTES : null;
  }

  /** The media types a route accepts, for a 415's {@code Accept-Post} header. */
  public static String accepted(BodyPlan plan) {
    StringBuilder sb = new StringBuilder();
    if (plan.json()) {
      sb.append("application/json");
    }
    if (plan.form()) {
      sb.append(sb.isEmpty() ? "" : ", ").append(FORM);
    }
    if (plan.text()) {
      sb.append(sb.isEmpty() ? "" : ", ").append("text/*");
    }
    if (plan.bytes()) {
      sb.append(sb.isEmpty() ? "" : ", ").append("*/*");
    }
    return sb.toString();
  }

  /**
   * What templates read as {@code body}: parsed JSON, a form's fields (a repeated field as a list
   * of its values), text as a string, null for bytes.
   *
   * @throws IllegalArgumentException with a client-facing reason when the body cannot be read
   */
  static JsonNode bind(BodyPlan plan, EdgeRequest req) {
    Kind kind = kind(plan, req.headers().get("content-type"));
    if (kind == null || kind == Kind.BYTES) {
      return null;
    }
    return switch (kind) {
      case JSON -> {
        try {
          yield Json.parse(req.body().getBytes());
        } catch (IOException e) {
          throw new IllegalArgumentException("the request body is not valid JSON");
        }
      }
      case FORM -> form(req.body().toString(StandardCharsets.UTF_8));
      case TEXT -> TextNode.valueOf(req.body().toString(StandardCharsets.UTF_8));
      default -> null;
    };
  }

  /** Form fields in order; a field sent twice or more becomes a list of strings. */
  static ObjectNode form(String text) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    if (text.isEmpty()) {
      return out;
    }
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      JsonNode had = out.get(name);
      if (had == null) {
        out.put(name, value);
      } else if (had instanceof ArrayNode list) {
        list.add(value);
      } else {
        out.putArray(name).add(had).add(value);
      }
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the request body is not a valid form");
    }
  }

  /**
   * {@code base} with the client's body set on the calls of the {@code steps} named: the same bytes
   * and {@code Content-Type} to each of them (a body read as JSON without one is sent as JSON).
   */
  static Upstreams forwarding(Upstreams base, Set<String> steps, EdgeRequest req) {
    Buffer body = req.body();
    if (body == null || body.length() == 0) {
      return base;
    }
    String type = req.headers().get("content-type");
    String contentType = type == null ? "application/json" : type;
    return new Upstreams() {
      @Override
      public UpstreamCall call(String name) {
        UpstreamCall call = base.call(name);
        return r -> {
          if (!steps.contains(r.step())) {
            return call.call(r);
          }
          r.headers().set("content-type", contentType);
          return call.call(
              new UpstreamRequest(
                  r.step(),
                  r.method(),
                  r.pathAndQuery(),
                  r.headers(),
                  body,
                  r.timeout(),
                  r.deadlineNanos(),
                  r.notes()));
        };
      }

      @Override
      public Duration timeout(String name) {
        return base.timeout(name);
      }
    };
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi))
        .trim()
        .toLowerCase(Locale.ROOT);
  }
}
