package dev.medley.edge;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.json.Json;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * RFC 9457 problem details, the only error format clients ever see. Details are written for
 * clients: they name steps and parameters, never internal URLs or stack traces.
 */
public final class Problem {
  private Problem() {}

  /** A problem reply; {@code slug} becomes the type {@code urn:medley:problem:<slug>}. */
  public static Reply reply(int status, String slug, String title, String detail, EdgeRequest req) {
    return reply(status, slug, title, detail, req, null);
  }

  /** As {@link #reply(int, String, String, String, EdgeRequest)} with extra members. */
  public static Reply reply(
      int status, String slug, String title, String detail, EdgeRequest req, ObjectNode extra) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("type", "urn:medley:problem:" + slug);
    o.put("title", title);
    o.put("status", status);
    o.put("detail", detail);
    if (req != null) {
      o.put("instance", req.path());
      o.put("requestId", req.requestId());
    }
    if (extra != null) {
      o.setAll(extra);
    }
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    h.set("content-type", "application/problem+json");
    return new Reply(status, h, Buffer.buffer(Json.bytes(o)));
  }
}
