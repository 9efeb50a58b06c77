package dev.medley.upstream.http1;

import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The idle connections and waiting calls of one host:port on one event loop. Touched only from that
 * loop's thread, so it needs no locks; only the connection count is shared ({@link Endpoint}).
 */
final class LoopPool {
  private final Endpoint endpoint;
  private final EventLoop loop;

  /** Most recently used last: reusing the warmest connection lets the others idle out. */
  private final ArrayDeque<Http1Connection> idle = new ArrayDeque<>();

  private final ArrayDeque<Http1Exchange> waiters = new ArrayDeque<>();
  private final Set<Http1Connection> all = new HashSet<>();

  /**
   * Read by other loops ({@link Endpoint#othersStarving}): calls wait here for room under the cap.
   */
  private volatile boolean starving;

  /** A sweep for connections idle past the keep-alive timeout is scheduled. */
  private boolean sweeping;

  /** {@code idle.size()}, for other loops ({@link Endpoint#starving}). */
  private volatile int idleCount;

  LoopPool(Endpoint endpoint, EventLoop loop) {
    this.endpoint = endpoint;
    this.loop = loop;
  }

  EventLoop loop() {
    return loop;
  }

  boolean isStarving() {
    return starving;
  }

  boolean hasIdle() {
    return idleCount > 0;
  }

  /** Another loop starves: closes this loop's oldest idle connection, which frees room for it. */
  void giveUpIdle() {
    Http1Connection c = idle.pollFirst();
    idleCount = idle.size();
    if (c != null) {
      c.channel().close();
    }
  }

  /** Gives {@code x} an idle connection, a new one, or a place in the queue. */
  void acquire(Http1Exchange x) {
    if (x.settled()) {
      return;
    }
    if (endpoint.client().closed()) {
      x.failClosed();
      return;
    }
    Http1Connection c = pollIdle();
    if (c != null) {
      x.start(c);
    } else if (endpoint.tryOpen()) {
      connect(x);
    } else {
      waiters.add(x);
      if (!starving) {
        starving = true;
        endpoint.starving(this);
      }
    }
  }

  private Http1Connection pollIdle() {
    Http1Connection c;
    while ((c = idle.pollLast()) != null) {
      if (c.channel().isActive()) {
        idleCount = idle.size();
        return c;
      }
    }
    idleCount = 0;
    return null;
  }

  private void addIdle(Http1Connection c) {
    c.idleNow();
    idle.addLast(c);
    idleCount = idle.size();
    long keepAlive = endpoint.client().keepAliveNanos();
    if (!sweeping && keepAlive > 0) {
      sweeping = true;
      loop.schedule(this::sweep, keepAlive, TimeUnit.NANOSECONDS);
    }
  }

  /** Closes connections idle for the keep-alive timeout; runs while any connection is idle. */
  private void sweep() {
    long keepAlive = endpoint.client().keepAliveNanos();
    long now = System.nanoTime();
    // Oldest first: the deque is in order of return to the pool.
    while (!idle.isEmpty() && now - idle.peekFirst().idleSince() >= keepAlive) {
      idle.pollFirst().channel().close();
    }
    idleCount = idle.size();
    if (idle.isEmpty()) {
      sweeping = false;
    } else {
      loop.schedule(
          this::sweep, keepAlive - (now - idle.peekFirst().idleSince()), TimeUnit.NANOSECONDS);
    }
  }

  private void connect(Http1Exchange x) {
    ChannelFuture cf = endpoint.client().connect(loop, endpoint.host(), endpoint.port(), this);
    cf.addListener(
        f -> {
          if (!f.isSuccess()) {
            x.failConnect(f.cause());
            endpoint.closedOne();
            serveWaiters();
            return;
          }
          Http1Connection c = cf.channel().pipeline().get(Http1Connection.class);
          all.add(c);
          if (x.settled()) {
            release(
                c, true); // the call gave up while connecting: the connection serves the next one
          } else {
            x.start(c);
          }
        });
  }

  /**
   * A finished exchange hands its connection back; {@code reusable} is false after an error or
   * close.
   */
  void release(Http1Connection c, boolean reusable) {
    if (!reusable || !c.channel().isActive()) {
      c.channel().close(); // channelInactive counts it out (closed)
      return;
    }
    Http1Exchange next;
    while ((next = waiters.poll()) != null) {
      if (!next.settled()) {
        next.start(c);
        return;
      }
    }
    starving = false;
    if (endpoint.othersStarving(this)) {
      c.channel()
          .close(); // another loop needs the room more than this loop needs an idle connection
      return;
    }
    addIdle(c);
  }

  /** The connection closed (by either side): it is no longer idle nor counted. */
  void closed(Http1Connection c) {
    if (all.remove(c)) {
      idle.remove(c);
      idleCount = idle.size();
      endpoint.closedOne();
    }
  }

  /** Room may have appeared: open connections for waiting calls while the cap allows. */
  void serveWaiters() {
    Http1Exchange x;
    while ((x = waiters.peek()) != null) {
      if (x.settled()) {
        waiters.poll();
        continue;
      }
      Http1Connection c = pollIdle();
      if (c != null) {
        waiters.poll().start(c);
      } else if (endpoint.tryOpen()) {
        connect(waiters.poll());
      } else {
        endpoint.starving(this);
        return;
      }
    }
    starving = false;
  }

  /** Closes every connection of this pool, on its loop. */
  void closeAll() {
    loop.execute(() -> List.copyOf(all).forEach(c -> c.channel().close()));
  }
}
