package dev.medley.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;

/** The one Jackson mapper: strict on input (trailing garbage is an error), compact on output. */
public final class Json {
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  // Bound to the tree type once: writeValueAsBytes(Object) looked the serializer up per call.
  private static final ObjectWriter TREE_WRITER = MAPPER.writerFor(JsonNode.class);

  private Json() {}

  /** Parses bytes; throws IOException for anything that is not exactly one JSON value. */
  public static JsonNode parse(byte[] bytes) throws IOException {
    return MAPPER.readTree(bytes);
  }

  /**
   * Parses a buffer in place when its bytes are on the heap (as upstream answers are), else a copy.
   */
  public static JsonNode parse(Buffer buffer) throws IOException {
    ByteBuf b = ((BufferInternal) buffer).getByteBuf();
    if (b.hasArray()) {
      return MAPPER.readTree(b.array(), b.arrayOffset() + b.readerIndex(), b.readableBytes());
    }
    return MAPPER.readTree(buffer.getBytes());
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return TREE_WRITER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
