package dev.medley.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** A complete upstream answer: status, headers and the whole (size-limited) body. */
public record UpstreamResponse(int status, MultiMap headers, Buffer body) {}
