package dev.medley.demo;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;

/**
 * One endpoint of a demo service. The template is a literal path that may end in {@code {id}}; the
 * kind names the endpoint in request counters.
 */
record DemoRoute(HttpMethod method, String template, String kind, Answer answer) {
  private static final String ID = "{id}";

  /** Builds the reply from the path id ({@code ""} when the template has none) and the body. */
  @FunctionalInterface
  interface Answer {
    Reply apply(String id, Buffer body);
  }

  /** The id this route reads from the path, {@code ""} for templates without one, or null. */
  String match(HttpMethod requestMethod, String path) {
    if (!method.equals(requestMethod)) {
      return null;
    }
    if (!template.endsWith(ID)) {
      return template.equals(path) ? "" : null;
    }
    String prefix = template.substring(0, template.length() - ID.length());
    if (!path.startsWith(prefix)) {
      return null;
    }
    String id = path.substring(prefix.length());
    // One segment only: /products/1/extra is no product.
    return id.isEmpty() || id.indexOf('/') >= 0 ? null : id;
  }
}
