package dev.medley.upstream.http1;

import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One host:port of an upstream: the connection cap shared by all event loops, and one pool per
 * event loop. A loop that has calls waiting while every connection is held by other loops is
 * "starving": the next loop to free a connection it does not need closes it, so the starving loop
 * can open its own, and the cap holds across loops.
 */
final class Endpoint {
  private final Http1Client client;
  private final String host;
  private final int port;
  private final AtomicInteger open = new AtomicInteger();

  /**
   * The most connections ever open at once: checked by tests, and cheap (touched only on connect).
   */
  private final AtomicInteger peak = new AtomicInteger();

  private final ConcurrentHashMap<EventLoop, LoopPool> pools = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<LoopPool> starving = new ConcurrentLinkedQueue<>();

  Endpoint(Http1Client client, String host, int port) {
    this.client = client;
    this.host = host;
    this.port = port;
  }

  LoopPool pool(EventLoop loop) {
    LoopPool p = pools.get(loop);
    return p != null ? p : pools.computeIfAbsent(loop, l -> new LoopPool(this, l));
  }

  Http1Client client() {
    return client;
  }

  String host() {
    return host;
  }

  int port() {
    return port;
  }

  /** Reserves room for one more connection; false at the cap. */
  boolean tryOpen() {
    int n;
    do {
      n = open.get();
      if (n >= client.maxConnections()) {
        return false;
      }
    } while (!open.compareAndSet(n, n + 1));
    peak.accumulateAndGet(n + 1, Math::max);
    return true;
  }

  /**
   * A connection (or a reservation that never connected) is gone: a starving loop may use its room.
   * Entries of loops that stopped starving since they queued are skipped: waking one of those
   * instead would leave the room unused while another loop's calls wait.
   */
  void closedOne() {
    open.decrementAndGet();
    LoopPool s;
    while ((s = starving.poll()) != null) {
      if (s.isStarving()) {
        s.loop().execute(s::serveWaiters);
        return;
      }
    }
  }

  /**
   * {@code pool} has calls waiting and no room. Besides queueing it for the next freed room, asks
   * one other loop holding an idle connection to close it: otherwise that connection could sit idle
   * while these calls wait, since only a finished exchange hands room over.
   */
  void starving(LoopPool pool) {
    starving.add(pool);
    for (LoopPool p : pools.values()) {
      if (p != pool && p.hasIdle()) {
        p.loop().execute(p::giveUpIdle);
        return;
      }
    }
  }

  /** True when another loop waits for a connection this loop could give up. */
  boolean othersStarving(LoopPool self) {
    for (LoopPool p : starving) {
      if (p != self && p.isStarving()) {
        return true;
      }
    }
    return false;
  }

  int openConnections() {
    return open.get();
  }

  int peakConnections() {
    return peak.get();
  }

  void closeAll() {
    pools.values().forEach(LoopPool::closeAll);
  }
}
