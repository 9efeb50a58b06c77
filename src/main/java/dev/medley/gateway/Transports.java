package dev.medley.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.util.List;
import java.util.Locale;

/**
 * Which Netty transport the event loops use: {@code auto} takes epoll where its native library
 * loads (Linux x86-64, shipped in the jar), else Java NIO. io_uring is not offered: it measured
 * less CPU per page here, but requests with bodies hung on it with this Vert.x and Netty
 * (docs/performance.md).
 */
public final class Transports {
  /** The names {@code --transport} accepts. */
  public static final List<String> NAMES = List.of("auto", "epoll", "nio");

  private Transports() {}

  /**
   * The transport for {@code name}; null for an unknown name. A named native transport that is not
   * available here is an error the caller reports, not a silent fallback.
   */
  public static Transport choose(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "auto" -> Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
      case "epoll" -> Transport.EPOLL;
      case "nio" -> Transport.NIO;
      default -> null;
    };
  }

  /** A Vert.x on {@code transport}. */
  public static Vertx vertx(VertxOptions options, Transport transport) {
    return Vertx.builder().with(options).withTransport(transport).build();
  }

  /** What a log line calls {@code transport}. */
  public static String label(Transport transport) {
    return transport.name().toLowerCase(Locale.ROOT);
  }
}
