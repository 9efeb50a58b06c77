package dev.medley.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Sends many requests at once from outside Vert.x: the JDK's asynchronous client opens one
 * connection per request in flight (so {@code n} requests are truly concurrent at the gateway) and
 * completes them on a small fixed pool. Every wait is bounded.
 */
public final class LoadClient implements AutoCloseable {
  /** One answer: status, the {@code X-Cache} header, and the body text. */
  public record Answer(int status, String xCache, String body) {}

  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .executor(pool)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final int port;

  public LoadClient(int port) {
    this.port = port;
  }

  /** Sends {@code n} GETs of {@code path} at once. */
  public CompletableFuture<List<Answer>> sendAll(String path, int n, Map<String, String> headers) {
    List<CompletableFuture<Answer>> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      all.add(get(path, headers));
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(done -> all.stream().map(CompletableFuture::join).toList());
  }

  public CompletableFuture<Answer> get(String path, Map<String, String> headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(60))
            .GET();
    headers.forEach(b::header);
    return client
        .sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(
            r ->
                new Answer(
                    r.statusCode(), r.headers().firstValue("x-cache").orElse(null), r.body()));
  }

  /** Waits (bounded) for every answer of {@link #sendAll}. */
  public static List<Answer> await(CompletableFuture<List<Answer>> answers) {
    try {
      return answers.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("not every request was answered within 60s", e);
    }
  }

  @Override
  public void close() {
    client.shutdownNow();
    pool.shutdownNow();
  }
}
