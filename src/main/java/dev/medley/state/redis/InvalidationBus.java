package dev.medley.state.redis;

import dev.medley.time.Clock;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The subscription that brings every replica's invalidations to this one's in-process cache tier:
 * one dedicated connection subscribed to the invalidation channel, reopened after {@code retry}
 * whenever it drops. Messages missed while it was down cannot be replayed, so listeners hear {@link
 * Listener#resubscribed()} and drop what they hold.
 */
final class InvalidationBus {
  private static final System.Logger LOG = System.getLogger("dev.medley.state");

  /** What the bus reports. */
  interface Listener {
    /** Tags invalidated at {@code generation}, on any replica. */
    void invalidated(long generation, List<String> tags);

    /** The subscription is (again) live; anything heard before may be incomplete. */
    void resubscribed();
  }

  private final Redis client;
  private final Clock clock;
  private final String channel;
  private final Duration retry;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean live;
  private volatile boolean stopped;
  private volatile RedisConnection connection;

  InvalidationBus(Vertx vertx, RedisOptions options, Clock clock, String channel, Duration retry) {
    // Its own client: a connection in subscriber mode cannot serve other commands.
    this.client = Redis.createClient(vertx, new RedisOptions(options).setMaxPoolSize(1));
    this.clock = clock;
    this.channel = channel;
    this.retry = retry;
  }

  void listen(Listener l) {
    listeners.add(l);
  }

  /** True while subscribed: invalidations from other replicas arrive. */
  boolean live() {
    return live;
  }

  void start() {
    if (stopped) {
      return;
    }
    client
        .connect()
        .onComplete(
            ar -> {
              if (ar.failed()) {
                again();
                return;
              }
              RedisConnection c = ar.result();
              connection = c;
              c.handler(this::message);
              c.exceptionHandler(e -> dropped(c));
              c.endHandler(v -> dropped(c));
              c.send(Request.cmd(Command.SUBSCRIBE).arg(channel))
                  .onComplete(
                      s -> {
                        if (s.failed()) {
                          dropped(c);
                          return;
                        }
                        live = true;
                        listeners.forEach(Listener::resubscribed);
                      });
            });
  }

  private void dropped(RedisConnection c) {
    if (connection != c) {
      return; // already handled
    }
    connection = null;
    if (live) {
      LOG.log(
          Level.WARNING,
          "state: the invalidation subscription dropped; reconnecting every "
              + retry.toMillis()
              + "ms");
    }
    live = false;
    c.close();
    again();
  }

  private void again() {
    if (!stopped) {
      clock.schedule(retry, this::start);
    }
  }

  private void message(Response msg) {
    if (msg == null || msg.size() < 3 || !"message".equals(msg.get(0).toString())) {
      return; // subscription confirmations and other pushes
    }
    List<String> tags = new ArrayList<>();
    long g;
    try {
      JsonObject o = new JsonObject(msg.get(2).toString());
      g = Long.parseLong(String.valueOf(o.getValue("g")));
      if (o.getValue("tags") instanceof JsonArray arr) {
        arr.forEach(t -> tags.add(String.valueOf(t)));
      }
    } catch (RuntimeException e) {
      return; // not ours
    }
    listeners.forEach(l -> l.invalidated(g, tags));
  }

  void stop() {
    stopped = true;
    live = false;
    RedisConnection c = connection;
    connection = null;
    if (c != null) {
      c.close();
    }
    client.close();
  }
}
