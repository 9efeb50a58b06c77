package dev.medley.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;
import java.util.List;
import java.util.Locale;

/**
 * Which Netty transport the event loops use. {@code auto} takes io_uring where the kernel lets
 * Netty set up a ring (Linux x86-64, 5.9 or later, not refused by a seccomp profile or {@code
 * kernel.io_uring_disabled}), else epoll where its native library loads, else Java NIO; both native
 * libraries ship in the jar. docs/performance.md has the measurements behind the order.
 *
 * <p>The name {@code medley run} uses when {@code --transport} is not given is the system property
 * {@value #PROPERTY} where set, else {@code auto}: the test suite runs whole on a chosen transport
 * through it ({@code ./mvnw verify -Dmedley.transport=io_uring}).
 */
public final class Transports {
  /** The names {@code --transport} accepts. */
  public static final List<String> NAMES = List.of("auto", "epoll", "io_uring", "nio");

  /** The system property that names the transport when no option does. */
  public static final String PROPERTY = "medley.transport";

  /**
   * What {@code auto} tries, in order: the first whose native library loads and whose probe passes
   * here. NIO, last, is always available.
   */
  static final List<Transport> AUTO_ORDER =
      List.of(Transport.IO_URING, Transport.EPOLL, Transport.NIO);

  private Transports() {}

  /**
   * The transport for {@code name}; null for an unknown name. A named native transport that is not
   * available here is an error the caller reports ({@link #unavailable}), not a silent fallback.
   * Availability is Netty's probe: loading the native library and, for io_uring, setting up a ring
   * (which a kernel without io_uring, a seccomp profile or {@code kernel.io_uring_disabled}
   * refuses).
   */
  public static Transport choose(String name) {
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "auto" -> firstAvailable(AUTO_ORDER);
      case "epoll" -> Transport.EPOLL;
      case "io_uring", "io-uring", "iouring" -> Transport.IO_URING;
      case "nio" -> Transport.NIO;
      default -> null;
    };
  }

  /**
   * The first of {@code preference} that is available here (Netty's probe, run once per JVM); the
   * last one when none is.
   */
  static Transport firstAvailable(List<Transport> preference) {
    for (Transport t : preference) {
      if (t.available()) {
        return t;
      }
    }
    return preference.get(preference.size() - 1);
  }

  /**
   * The name used when none is given: the system property {@value #PROPERTY}, else {@code auto}.
   */
  public static String defaultName() {
    String name = System.getProperty(PROPERTY);
    return name == null || name.isBlank() ? "auto" : name.trim();
  }

  /**
   * Why {@code name} cannot run here, or null when it can: an unknown name lists the known ones; an
   * unavailable native transport says what Netty's probe reported.
   */
  public static String unavailable(String name) {
    Transport t = choose(name);
    if (t == null) {
      return name + " (expected one of " + NAMES + ")";
    }
    if (!t.available()) {
      Throwable cause = t.unavailabilityCause();
      return name
          + " is not available here"
          + (cause == null ? "" : ": " + rootMessage(cause))
          + " (--transport epoll or nio runs without it)";
    }
    return null;
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == t ? String.valueOf(t) : t + " (" + root + ")";
  }

  /**
   * For a log line when {@code auto} did not get its first choice: which preferred transports this
   * machine refused and why, e.g. {@code io_uring is not available here (...)}; null when {@code
   * name} is not {@code auto} or nothing was passed over.
   */
  public static String passedOver(String name) {
    if (!"auto".equalsIgnoreCase(name)) {
      return null;
    }
    StringBuilder why = new StringBuilder();
    for (Transport t : AUTO_ORDER) {
      if (t.available()) {
        break;
      }
      Throwable cause = t.unavailabilityCause();
      why.append(why.isEmpty() ? "" : "; ")
          .append(label(t))
          .append(" is not available here")
          .append(cause == null ? "" : " (" + rootMessage(cause) + ")");
    }
    return why.isEmpty() ? null : why.toString();
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
