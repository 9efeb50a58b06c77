package dev.medley.testing;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sends a few requests through a throw-away gateway once per test JVM, so the first test does not
 * pay class loading and lambda spinning on an event loop. On a busy two-core machine that first
 * request alone can exceed the strict blocked-thread limit the tests enforce, which would report
 * loading the JDK as a blocking bug.
 */
public final class Warmup {
  private static boolean done;

  private Warmup() {}

  public static synchronized void once() {
    if (done) {
      return;
    }
    done = true;
    Vertx vertx = Harness.vertx(new VertxOptions());
    try {
      FakeUpstream up = FakeUpstream.start(vertx);
      up.on("/w", FakeUpstream.json("{\"ok\":true,\"ids\":[\"1\"],\"items\":[{\"id\":\"1\"}]}"));
      up.on("/b", FakeUpstream.json("{\"items\":[{\"id\":\"1\"}]}"));
      up.on("/x", FakeUpstream.echo()); // loads Vert.x's JSON codec, which echo uses
      String yaml =
          """
          version: 1
          upstreams:
            u: { url: "${env:U}" }
          experiences:
            web:
              routes:
                GET /w/{id}:
                  steps:
                    w: { upstream: u, path: "/w/{id}" }
                    x: { upstream: u, path: "/x/{id}", optional: null }
                  response: { ok: w.ok, x: x.uri }
                GET /c/{id}:
                  cache: { ttl: 1s, tags: ["c:{id}"] }
                  steps:
                    w: { upstream: u, path: "/w/{id}", cache: { ttl: 1s } }
                    r:
                      upstream: u
                      forEach: w.ids
                      path: "/i/{item}"
                      batch: { path: "/b", body: { ids: "{items}" }, resultsAt: items, matchOn: id, window: 0ms }
                  response: { ok: w.ok, r: r }
          """;
      try (Harness h =
          Harness.start(vertx, yaml, Map.of("U", up.url()), new dev.medley.time.ManualClock())) {
        for (int i = 0; i < 20; i++) {
          h.get("/w/" + i);
          h.get("/c/" + i % 3); // the caches, ETags and a batch call
        }
      }
      up.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("warm-up failed", e);
    }
  }
}
