package dev.medley.testing;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/** Plain-socket helpers for tests about listeners opening and closing. */
public final class Sockets {
  private Sockets() {}

  /** A port free on 127.0.0.1 right now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * True once a connection to {@code port} on 127.0.0.1 is refused. A listener unbinds
   * asynchronously after its shutdown begins, so this tries a bounded number of times (at most
   * 10,000, for at most 10 seconds), each try waiting only for its own connect.
   */
  public static boolean refused(int port) {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (int i = 0; i < 10_000 && System.nanoTime() < until; i++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      } catch (ConnectException e) {
        return true;
      } catch (IOException e) {
        // Accepted and dropped while unbinding: try again.
      }
    }
    return false;
  }
}
