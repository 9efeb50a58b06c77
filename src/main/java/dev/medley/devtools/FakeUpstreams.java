package dev.medley.devtools;

import dev.medley.config.UpstreamSpec;
import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamCall;
import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamRequest;
import dev.medley.upstream.UpstreamResponse;
import dev.medley.upstream.UpstreamTransport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstreams that answer from declared answers instead of the network, on the gateway's clock: a
 * delay is a timer, and an attempt whose timeout (or the deadline) strikes first fails as a real
 * one would. Every call is recorded. {@code answers} picks the answer for a call (null: the call
 * matched nothing, answered 404 and noted).
 */
final class FakeUpstreams implements UpstreamTransport {
  /** One call the gateway made. */
  record Call(String upstream, String step, String method, String pathAndQuery, String body) {
    @Override
    public String toString() {
      return method + " " + upstream + " " + pathAndQuery;
    }
  }

  /** Picks an answer for a call to an upstream. */
  interface Answers {
    Answer answer(String upstream, UpstreamRequest request);
  }

  private final Clock clock;
  private final Answers answers;
  private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
  private final List<Call> unmatched = Collections.synchronizedList(new ArrayList<>());
  private final Set<Context> contexts = ConcurrentHashMap.newKeySet();

  FakeUpstreams(Clock clock, Answers answers) {
    this.clock = clock;
    this.answers = answers;
  }

  @Override
  public UpstreamCall client(UpstreamSpec upstream) {
    String name = upstream.name();
    return r -> call(name, r);
  }

  private Future<UpstreamResponse> call(String upstream, UpstreamRequest r) {
    Context ctx = Vertx.currentContext();
    if (ctx != null) {
      contexts.add(ctx);
    }
    Call call =
        new Call(
            upstream,
            r.step(),
            r.method(),
            r.pathAndQuery(),
            r.body() == null ? null : r.body().toString());
    calls.add(call);
    r.notes().attempted();
    Answer a = answers.answer(upstream, r);
    if (a == null) {
      unmatched.add(call);
      a =
          new Answer(
              404,
              Map.of("content-type", "application/problem+json"),
              com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                  .objectNode()
                  .put("title", "no answer given for this call"),
              Duration.ZERO,
              null);
    }
    long now = clock.nanoTime();
    long limit = r.attemptNanos(now);
    UpstreamException.Kind onTimeout =
        r.deadlineBinds(now) ? UpstreamException.Kind.DEADLINE : UpstreamException.Kind.TIMEOUT;
    Promise<UpstreamResponse> p = Promise.promise();
    Answer answer = a;
    if (answer.delay().toNanos() >= limit) {
      clock.schedule(
          Duration.ofNanos(Math.max(0, limit)),
          () ->
              p.tryFail(
                  new UpstreamException(
                      onTimeout, upstream, "upstream '" + upstream + "' did not answer in time")));
    } else if (answer.delay().isZero()) {
      settle(upstream, answer, p);
    } else {
      clock.schedule(answer.delay(), () -> settle(upstream, answer, p));
    }
    return p.future();
  }

  private static void settle(String upstream, Answer a, Promise<UpstreamResponse> p) {
    if ("connect".equals(a.failure())) {
      p.tryFail(
          new UpstreamException(
              UpstreamException.Kind.CONNECT,
              upstream,
              "could not connect to upstream '" + upstream + "'"));
      return;
    }
    if ("reset".equals(a.failure())) {
      p.tryFail(
          new UpstreamException(
              UpstreamException.Kind.RESET,
              upstream,
              "connection to upstream '" + upstream + "' broke"));
      return;
    }
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    a.headers().forEach(headers::set);
    Buffer body = Buffer.buffer();
    if (a.body() != null) {
      String type = headers.get("content-type");
      if (type == null) {
        headers.set("content-type", "application/json");
      }
      // A string body with a non-JSON content type is sent as it is written; anything else as JSON.
      boolean raw = a.body().isTextual() && type != null && !type.contains("json");
      body = Buffer.buffer(raw ? a.body().asText() : a.body().toString());
    }
    p.tryComplete(new UpstreamResponse(a.status(), headers, body));
  }

  /** Every call made, in the order made. */
  List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /** Calls no declared answer matched. */
  List<Call> unmatched() {
    synchronized (unmatched) {
      return List.copyOf(unmatched);
    }
  }

  /** The event-loop contexts calls were made on. */
  Set<Context> contexts() {
    return Set.copyOf(contexts);
  }
}
