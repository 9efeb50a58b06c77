package dev.medley.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's view of one loopback TCP connection, read from {@code /proc/net/tcp} and {@code
 * tcp6} (Linux): its state and queued bytes on either end. Lets a socket test wait for what the
 * peer's kernel did (a FIN arrived, bytes were acknowledged, the connection was reset) instead of
 * timing it: the states change without the test reading from the socket.
 */
public final class TcpTable {
  /** {@code /proc/net/tcp} state of a connection whose peer has sent its FIN. */
  public static final int CLOSE_WAIT = 0x08;

  private TcpTable() {}

  /** One end of a connection: its state, bytes sent but not yet acknowledged, bytes not read. */
  public record Entry(int state, long unacked, long unread) {}

  /** The client end of {@code s} (its local port to its remote port), or null once it is gone. */
  public static Entry client(Socket s) {
    return find(s.getLocalPort(), s.getPort());
  }

  /** The server's end of {@code s} (the remote port to its local port), or null once it is gone. */
  public static Entry server(Socket s) {
    return find(s.getPort(), s.getLocalPort());
  }

  private static Entry find(int localPort, int remotePort) {
    List<String> lines = new ArrayList<>();
    try {
      // Java opens IPv6 sockets even for 127.0.0.1 (as an IPv4-mapped address): both tables.
      for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
        List<String> all = Files.readAllLines(Path.of(table));
        lines.addAll(all.subList(1, all.size()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (port(f[1]) == localPort && port(f[2]) == remotePort) {
        String[] queues = f[4].split(":");
        return new Entry(
            Integer.parseInt(f[3], 16),
            Long.parseLong(queues[0], 16),
            Long.parseLong(queues[1], 16));
      }
    }
    return null;
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
  }
}
