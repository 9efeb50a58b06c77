package dev.medley.state.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script run atomically by Redis, sent by its SHA-1 ({@code EVALSHA}) and by its text only
 * when Redis does not know it yet (after a restart or a {@code SCRIPT FLUSH}).
 *
 * @param name the operation label in metrics
 * @param text the Lua source
 * @param sha1 its SHA-1 in lower-case hex, as Redis names scripts
 */
record Script(String name, String text, String sha1) {
  /** The script {@code resource}.lua beside this class. */
  static Script load(String name, String resource) {
    try (InputStream in = Script.class.getResourceAsStream(resource + ".lua")) {
      if (in == null) {
        throw new IllegalStateException("missing script " + resource + ".lua");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Script(
          name,
          text,
          HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-1")
                      .digest(text.getBytes(StandardCharsets.UTF_8))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is always available", e);
    }
  }
}
