package dev.medley.testing;

import dev.medley.engine.Upstreams;
import dev.medley.upstream.UpstreamCall;
import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamRequest;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Upstreams in memory, for the fast engine tier: no sockets, no Vert.x instance, answers given by
 * the test (at once, or held until the test completes them). Every call is recorded as {@code "name
 * METHOD /path?query"}. Futures complete on the test's thread, so a test is a plain sequence of
 * calls that takes microseconds.
 */
public final class MemoryUpstreams implements Upstreams {
  /** How one upstream answers a call. */
  @FunctionalInterface
  public interface Answer {
    Future<UpstreamResponse> answer(UpstreamRequest request);
  }

  /** A call whose answer the test gives later. */
  public record Held(String upstream, UpstreamRequest request, Promise<UpstreamResponse> promise) {
    public void json(String body) {
      promise.complete(MemoryUpstreams.response(200, body));
    }

    public void status(int status) {
      promise.complete(MemoryUpstreams.response(status, "{}"));
    }
  }

  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<UpstreamRequest> requests = new CopyOnWriteArrayList<>();
  private final List<Held> held = new CopyOnWriteArrayList<>();
  private Duration timeout = Duration.ofSeconds(1);

  public MemoryUpstreams on(String upstream, Answer answer) {
    answers.put(upstream, answer);
    return this;
  }

  /** Every call to {@code upstream} waits until the test completes it through {@link #held()}. */
  public MemoryUpstreams hold(String upstream) {
    return on(
        upstream,
        r -> {
          Promise<UpstreamResponse> p = Promise.promise();
          held.add(new Held(upstream, r, p));
          return p.future();
        });
  }

  public MemoryUpstreams timeout(Duration t) {
    this.timeout = t;
    return this;
  }

  /** Calls held and not yet answered, in the order they were made. */
  public List<Held> held() {
    List<Held> out = new ArrayList<>();
    for (Held h : held) {
      if (!h.promise().future().isComplete()) {
        out.add(h);
      }
    }
    return out;
  }

  /** The held call to {@code pathAndQuery}; fails the test when there is none. */
  public Held held(String pathAndQuery) {
    return held().stream()
        .filter(h -> h.request().pathAndQuery().equals(pathAndQuery))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no held call to " + pathAndQuery + "; held: " + held()));
  }

  /** Every call made, as {@code "name METHOD /path?query"}, in order. */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  public List<UpstreamRequest> requests() {
    return List.copyOf(requests);
  }

  @Override
  public UpstreamCall call(String name) {
    return r -> {
      calls.add(name + " " + r.method() + " " + r.pathAndQuery());
      requests.add(r);
      r.notes().attempted();
      Answer a = answers.get(name);
      if (a == null) {
        return Future.failedFuture(
            new UpstreamException(UpstreamException.Kind.CONNECT, name, "no answer set"));
      }
      return a.answer(r);
    };
  }

  @Override
  public Duration timeout(String name) {
    return timeout;
  }

  /** Always answers {@code body} with 200. */
  public static Answer json(String body) {
    return r -> Future.succeededFuture(response(200, body));
  }

  /** Always answers {@code status} with an empty JSON object. */
  public static Answer status(int status) {
    return r -> Future.succeededFuture(response(status, "{}"));
  }

  public static UpstreamResponse response(int status, String body) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().set("content-type", "application/json");
    return new UpstreamResponse(status, h, Buffer.buffer(body));
  }
}
