package dev.medley.edge;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** A response before it is written: filters may add headers or replace it. */
public record Reply(int status, MultiMap headers, Buffer body) {
  public static Reply json(int status, byte[] body) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    h.set("content-type", "application/json");
    return new Reply(status, h, Buffer.buffer(body));
  }
}
