package dev.medley.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A client that writes HTTP/1.1 bytes by hand, as an attacker or a careless client would: for the
 * tests of the public listener's framing, timeouts and closing.
 */
public final class RawSockets {
  private RawSockets() {}

  /** A connection to the gateway on 127.0.0.1:{@code port}; reads give up after 10 s. */
  public static Socket open(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    return s;
  }

  /** Writes {@code raw} as ISO-8859-1 bytes, exactly as given. */
  public static void send(Socket s, String raw) throws IOException {
    OutputStream out = s.getOutputStream();
    out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }
}
