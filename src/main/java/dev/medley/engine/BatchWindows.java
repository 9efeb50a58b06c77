package dev.medley.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.medley.plan.BatchPlan;
import dev.medley.plan.Scope;
import dev.medley.plan.StepCall;
import dev.medley.plan.StepPlan;
import dev.medley.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;

/**
 * Cross-request batching (DataLoader semantics) for batch steps with a {@code window}. The first
 * item opens a window for its batch endpoint; items of every request that joins before it closes
 * are de-duplicated, sent {@code max} at a time as soon as {@code max} are waiting, and the rest
 * when the window closes on the injected clock. Each request gets its own items' results, in its
 * own order, on its own context. A failed call fails every request waiting on it and is not kept.
 *
 * <p>Requests share a window only when their batch call renders identically apart from the items
 * (same step, same path, query, headers and body), so values of one request never reach another's
 * call.
 */
final class BatchWindows {
  /**
   * Sends one chunk on behalf of a request: its scope, the chunk, and the results in chunk order.
   */
  interface ChunkCall extends BiFunction<Scope, ArrayNode, Future<JsonNode>> {}

  private record Key(StepPlan step, String shape) {}

  private final Clock clock;
  private final Map<Key, Window> open = new ConcurrentHashMap<>();
  private final LongAdder calls = new LongAdder();
  private final LongAdder items = new LongAdder();
  private final LongAdder queued = new LongAdder();

  BatchWindows(Clock clock) {
    this.clock = clock;
  }

  /** Batch calls sent through windows so far. */
  long calls() {
    return calls.sum();
  }

  /** Distinct items sent through windows so far. */
  long items() {
    return items.sum();
  }

  /** Items waiting in open windows for their call to be sent. */
  long queued() {
    return queued.sum();
  }

  /**
   * Results for {@code wanted}, aligned with it; null when this step's call cannot be shared (its
   * shape does not render without items), so the caller batches on its own.
   */
  Future<ArrayNode> load(StepPlan step, ArrayNode wanted, Scope scope, ChunkCall send) {
    String shape;
    try {
      shape = shape(step.renderBatch(scope.withItems(JsonNodeFactory.instance.arrayNode())));
    } catch (RuntimeException e) {
      return null;
    }
    Key key = new Key(step, shape);
    List<Future<JsonNode>> mine = new ArrayList<>(wanted.size());
    List<ArrayNode> full;
    Window w;
    boolean opened;
    while (true) {
      Window created = new Window(key, step.batch());
      w = open.computeIfAbsent(key, k -> created);
      opened = w == created;
      synchronized (w) {
        if (w.closed) {
          continue; // closed between lookup and lock: join the next window instead
        }
        w.latest = new Sender(scope, send);
        int before = w.pending.size();
        full = w.add(wanted, mine);
        queued.add(w.pending.size() - before + full.stream().mapToLong(ArrayNode::size).sum());
      }
      break;
    }
    if (opened) {
      Window window = w;
      clock.schedule(step.batch().window(), () -> close(window));
    }
    for (ArrayNode chunk : full) {
      dispatch(w, chunk, new Sender(scope, send));
    }
    Future<ArrayNode> joined =
        Future.all(mine)
            .map(
                all -> {
                  ArrayNode out = JsonNodeFactory.instance.arrayNode(mine.size());
                  mine.forEach(f -> out.add(f.result()));
                  return out;
                });
    return Contexts.on(Vertx.currentContext(), joined);
  }

  private void close(Window w) {
    ArrayNode rest;
    Sender sender;
    synchronized (w) {
      w.closed = true;
      open.remove(w.key, w);
      rest = w.takePending();
      sender = w.latest;
    }
    if (rest != null) {
      dispatch(w, rest, sender);
    }
  }

  private void dispatch(Window w, ArrayNode chunk, Sender sender) {
    calls.increment();
    items.add(chunk.size());
    queued.add(-chunk.size());
    Future<JsonNode> answer;
    try {
      answer = sender.send().apply(sender.scope().withItems(chunk), chunk);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    answer.onComplete(
        ar -> {
          List<Promise<JsonNode>> waiting = new ArrayList<>(chunk.size());
          synchronized (w) {
            for (JsonNode item : chunk) {
              // A failure is shared with those waiting, never kept: a later request asks again.
              String k = BatchKeys.text(item);
              waiting.add(ar.succeeded() ? w.results.get(k) : w.results.remove(k));
            }
          }
          for (int i = 0; i < waiting.size(); i++) {
            if (ar.succeeded()) {
              waiting.get(i).tryComplete(ar.result().get(i));
            } else {
              waiting.get(i).tryFail(ar.cause());
            }
          }
        });
  }

  private static String shape(StepCall c) {
    StringBuilder sb = new StringBuilder(c.method()).append(' ').append(c.pathAndQuery());
    c.headers().forEach(h -> sb.append('\n').append(h.getKey()).append(": ").append(h.getValue()));
    if (c.body() != null) {
      sb.append("\n\n").append(new String(c.body(), java.nio.charset.StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  private record Sender(Scope scope, ChunkCall send) {}

  /** One open window: every key asked for in it (as compared, by text) and those not yet sent. */
  private static final class Window {
    final Key key;
    final int max;
    final Map<String, Promise<JsonNode>> results = new HashMap<>();
    ArrayNode pending = JsonNodeFactory.instance.arrayNode();
    Sender latest;
    boolean closed;

    Window(Key key, BatchPlan batch) {
      this.key = key;
      this.max = batch.max();
    }

    /** Registers a request's items; returns the chunks that reached {@code max} and must go now. */
    List<ArrayNode> add(ArrayNode wanted, List<Future<JsonNode>> mine) {
      List<ArrayNode> full = new ArrayList<>();
      for (JsonNode item : wanted) {
        String k = BatchKeys.text(item); // "1" and 1 are one key
        Promise<JsonNode> p = results.get(k);
        if (p == null) {
          p = Promise.promise();
          results.put(k, p);
          pending.add(item);
          if (pending.size() == max) {
            full.add(pending);
            pending = JsonNodeFactory.instance.arrayNode();
          }
        }
        mine.add(p.future());
      }
      return full;
    }

    ArrayNode takePending() {
      ArrayNode rest = pending.isEmpty() ? null : pending;
      pending = JsonNodeFactory.instance.arrayNode();
      return rest;
    }
  }
}
