package dev.medley.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.json.Json;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The admin endpoints of caching, behind the admin token like every admin route: {@code POST
 * /cache/invalidate} with {@code {"tags": [...], "keys": [...]}} and {@code GET /cache/stats}. A
 * key is {@code METHOD /path} for a response (every user's and every variant's entry of that path)
 * or {@code UPSTREAM METHOD /path?query} for a step. The gateway mounts the handlers on its admin
 * listener; this package knows nothing of that listener.
 */
final class CacheAdmin {
  static final String INVALIDATE = "/cache/invalidate";
  static final String STATS = "/cache/stats";
  private static final int MAX_BODY = 1 << 20;
  private static final int MAX_NAMES = 10_000;

  private final CacheStore store;
  private final CacheCounters counters;
  private final Supplier<CacheStats> stats;

  CacheAdmin(CacheStore store, CacheCounters counters, Supplier<CacheStats> stats) {
    this.store = store;
    this.counters = counters;
    this.stats = stats;
  }

  Handler<HttpServerRequest> invalidateHandler() {
    return this::invalidate;
  }

  Handler<HttpServerRequest> statsHandler() {
    return req -> json(req, 200, Json.MAPPER.valueToTree(stats.get()).toString());
  }

  private void invalidate(HttpServerRequest req) {
    req.body()
        .onComplete(
            ar -> {
              if (ar.failed()) {
                problem(req, "could not read the request body");
                return;
              }
              if (ar.result().length() > MAX_BODY) {
                problem(req, "the body is larger than 1MiB");
                return;
              }
              JsonNode body;
              try {
                body = Json.parse(ar.result().getBytes());
              } catch (IOException e) {
                problem(
                    req,
                    "the body is not JSON (expected {\"tags\": [\"product:42\"], \"keys\": [\"GET /web/products/42\"]})");
                return;
              }
              List<String> tags = strings(body, "tags");
              List<String> keys = strings(body, "keys");
              if (tags == null
                  || keys == null
                  || (tags.isEmpty() && keys.isEmpty())
                  || !body.isObject()
                  || body.size() > (body.has("tags") ? 1 : 0) + (body.has("keys") ? 1 : 0)) {
                problem(
                    req,
                    "expected an object with \"tags\" and/or \"keys\", each a non-empty list of strings, and nothing else");
                return;
              }
              List<String> all = new ArrayList<>(tags);
              keys.forEach(k -> all.add("key:" + k));
              store
                  .invalidate(all)
                  .onComplete(
                      done -> {
                        if (done.failed()) {
                          json(
                              req,
                              503,
                              problemJson(
                                  503,
                                  "Service Unavailable",
                                  "the cache store did not accept the invalidation"));
                          return;
                        }
                        counters.invalidations.increment();
                        ObjectNode out = JsonNodeFactory.instance.objectNode();
                        ObjectNode inv = out.putObject("invalidated");
                        tags.forEach(inv.putArray("tags")::add);
                        keys.forEach(inv.putArray("keys")::add);
                        json(req, 200, out.toString());
                      });
            });
  }

  /**
   * The strings under {@code field}; empty when absent, null when not a list of non-blank strings.
   */
  private static List<String> strings(JsonNode body, String field) {
    JsonNode n = body.get(field);
    if (n == null) {
      return List.of();
    }
    if (!(n instanceof ArrayNode a) || a.isEmpty() || a.size() > MAX_NAMES) {
      return null;
    }
    List<String> out = new ArrayList<>(a.size());
    for (JsonNode s : a) {
      if (!s.isTextual() || s.asText().isBlank()) {
        return null;
      }
      out.add(s.asText());
    }
    return out;
  }

  private static void json(HttpServerRequest req, int status, String body) {
    req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body);
  }

  private static void problem(HttpServerRequest req, String detail) {
    req.response().putHeader("content-type", "application/problem+json");
    req.response().setStatusCode(400).end(problemJson(400, "Bad Request", detail));
  }

  private static String problemJson(int status, String title, String detail) {
    return JsonNodeFactory.instance
        .objectNode()
        .put(
            "type",
            "urn:medley:problem:" + (status == 400 ? "invalid-invalidation" : "cache-unavailable"))
        .put("title", title)
        .put("status", status)
        .put("detail", detail)
        .toString();
  }
}
