package dev.medley.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import dev.medley.admin.AdminServer;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * {@code POST /admin/explain}: sends one request, described in the body as {@code {"method": "GET",
 * "path": "/web/products/1?x=y", "headers": {...}, "body": ...}}, to this gateway's own public
 * listener on loopback with the explain headers and the admin token, and answers with the explain
 * output ({@code {status, body, explain}}). The request runs exactly as a client's would (filters,
 * auth, limits, caches); only the admin API can ask for it.
 */
public final class ExplainRunner {
  /** Largest body accepted by {@code POST /admin/explain}. */
  static final int MAX_BODY = 64 * 1024;

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private final HttpClient client;
  private final IntSupplier port;
  private final String host;
  private final Supplier<String> token;

  /**
   * @param host the public listener's host (a wildcard address is reached on 127.0.0.1)
   * @param tls whether the public listener speaks TLS (then its own certificate is not checked: the
   *     call never leaves this machine)
   */
  public ExplainRunner(
      Vertx vertx, String host, boolean tls, IntSupplier port, Supplier<String> token) {
    HttpClientOptions o = new HttpClientOptions().setSsl(tls);
    if (tls) {
      o.setTrustAll(true).setVerifyHost(false);
    }
    this.client = vertx.createHttpClient(o);
    this.host = "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
    this.port = port;
    this.token = token;
  }

  /** The explained answer: its {@code X-Medley-Explain} header and body. */
  private record Answer(String explained, Buffer body) {}

  void handle(HttpServerRequest req) {
    req.body()
        .onComplete(
            ar -> {
              if (ar.failed() || ar.result().length() > MAX_BODY) {
                AdminServer.problem(
                    req,
                    400,
                    "Bad Request",
                    "expected a JSON body of at most " + MAX_BODY + " bytes");
                return;
              }
              JsonNode in = Dashboard.parse(ar.result().getBytes());
              String method =
                  in == null
                      ? null
                      : in.path("method").asText("GET").toUpperCase(java.util.Locale.ROOT);
              String path = in == null ? null : in.path("path").asText(null);
              if (method == null
                  || !METHODS.contains(method)
                  || path == null
                  || !path.startsWith("/")
                  || path.startsWith("//")) {
                AdminServer.problem(
                    req,
                    400,
                    "Bad Request",
                    "expected {\"method\": \"GET\", \"path\": \"/...\"} with a method among "
                        + METHODS
                        + " and a path from /");
                return;
              }
              run(req, method, path, in);
            });
  }

  private void run(HttpServerRequest req, String method, String path, JsonNode in) {
    RequestOptions o =
        new RequestOptions()
            .setMethod(HttpMethod.valueOf(method))
            .setHost(host)
            .setPort(port.getAsInt())
            .setURI(path);
    for (Iterator<Map.Entry<String, JsonNode>> it = in.path("headers").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> h = it.next();
      o.putHeader(h.getKey(), h.getValue().asText());
    }
    o.putHeader("x-medley-explain", "1").putHeader("x-medley-admin-token", token.get());
    JsonNode body = in.get("body");
    Buffer payload =
        body == null || body.isNull()
            ? null
            : Buffer.buffer(body.isTextual() ? body.asText() : body.toString());
    if (payload != null && !o.getHeaders().contains("content-type")) {
      o.putHeader("content-type", "application/json");
    }
    client
        .request(o)
        .compose(r -> payload == null ? r.send() : r.send(payload))
        .compose(resp -> resp.body().map(b -> new Answer(resp.getHeader("x-medley-explain"), b)))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                AdminServer.problem(
                    req,
                    502,
                    "Bad Gateway",
                    "the explained request failed: " + ar.cause().getMessage());
              } else if (!"1".equals(ar.result().explained())) {
                AdminServer.problem(
                    req, 502, "Bad Gateway", "the gateway did not explain the request");
              } else {
                req.response().putHeader("cache-control", "no-store");
                AdminServer.json(req, 200, ar.result().body().toString());
              }
            });
  }

  /** Closes the loopback client. */
  public io.vertx.core.Future<Void> close() {
    return client.close();
  }
}
