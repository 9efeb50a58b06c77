package dev.medley.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medley.admin.AdminServer;
import dev.medley.cache.CacheStats;
import dev.medley.config.ConfigError;
import dev.medley.json.Json;
import dev.medley.plan.Plan;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.time.Instant;

/**
 * The dashboard on the admin port: the page and its assets at {@code /dashboard} (served without
 * the token: they hold no data; the page asks for the token and sends it with every call), and the
 * JSON endpoints behind the admin token that it polls, documented in docs/operations.md: {@code GET
 * /admin/routes}, {@code /admin/upstreams}, {@code /admin/traffic}, {@code /admin/requests[/ID]},
 * {@code /admin/rejected-reload} and {@code POST /admin/explain}.
 */
public final class Dashboard {
  static final String PAGE = "/dashboard";
  static final String ROUTES = "/admin/routes";
  static final String UPSTREAMS = "/admin/upstreams";
  static final String TRAFFIC = "/admin/traffic";
  static final String REQUESTS = "/admin/requests";
  static final String REJECTED = "/admin/rejected-reload";
  static final String EXPLAIN = "/admin/explain";
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** What the dashboard reads from the running gateway. */
  public interface Source {
    /** The plan serving now. */
    Plan plan();

    /** Cache counters since start. */
    CacheStats cacheStats();

    /** The last reload refused, or null. */
    RejectedReload lastRejectedReload();

    /** Files of a folder config still on their last good version (a partly applied reload). */
    HeldBack heldBack();
  }

  private final Source source;
  private final UpstreamHealth upstreams;
  private final RecentRequests requests;
  private final ExplainRunner explain;

  public Dashboard(
      Source source, UpstreamHealth upstreams, RecentRequests requests, ExplainRunner explain) {
    this.source = source;
    this.upstreams = upstreams;
    this.requests = requests;
    this.explain = explain;
  }

  /** Adds the page, its assets and the JSON endpoints to {@code admin}; before it starts. */
  public void register(AdminServer admin) {
    admin.openRoute("GET", PAGE, Assets::serve);
    admin.route("GET", ROUTES, req -> json(req, RouteGraph.render(source.plan())));
    admin.route(
        "GET",
        UPSTREAMS,
        req ->
            json(
                req,
                JSON.objectNode()
                    .set(
                        "upstreams", upstreams.render(source.plan().spec().upstreams().values()))));
    admin.route("GET", TRAFFIC, req -> json(req, traffic()));
    admin.route("GET", REQUESTS, this::requests);
    admin.route(
        "GET",
        REJECTED,
        req -> {
          ObjectNode o = JSON.objectNode();
          o.set("rejected", rejected(source.lastRejectedReload()));
          o.set("heldBack", heldBack(source.heldBack()));
          json(req, o);
        });
    admin.route("POST", EXPLAIN, explain::handle);
  }

  private ObjectNode traffic() {
    CacheStats c = source.cacheStats();
    ObjectNode o = JSON.objectNode();
    ObjectNode cache = o.putObject("cache");
    cache.set("response", layer(c.responseHits(), c.responseMisses(), c.responseStale()));
    cache.set("step", layer(c.stepHits(), c.stepMisses(), c.stepStale()));
    cache.put("entries", c.entries()).put("bytes", c.bytes());
    o.set("rateLimited", requests.rateLimited());
    return o;
  }

  /**
   * Lookups since start and the share answered from the cache (fresh or stale); null before any.
   */
  private static ObjectNode layer(long hits, long misses, long stale) {
    long total = hits + misses + stale;
    ObjectNode o = JSON.objectNode().put("hits", hits).put("misses", misses).put("stale", stale);
    if (total == 0) {
      o.putNull("hitRatio");
    } else {
      o.put("hitRatio", Math.round((hits + stale) * 10_000.0 / total) / 10_000.0);
    }
    return o;
  }

  private void requests(HttpServerRequest req) {
    String rest = req.path().substring(REQUESTS.length());
    if (rest.isEmpty() || rest.equals("/")) {
      json(
          req,
          JSON.objectNode()
              .put("sampledPerSecond", RecentRequests.PER_SECOND)
              .put("kept", RecentRequests.KEPT)
              .set("requests", requests.render()));
      return;
    }
    ObjectNode one = requests.find(rest.substring(1));
    if (one == null) {
      AdminServer.problem(
          req,
          404,
          "Not Found",
          "no sampled request "
              + rest.substring(1)
              + " is kept (the last "
              + RecentRequests.KEPT
              + " are)");
    } else {
      json(req, one);
    }
  }

  static JsonNode rejected(RejectedReload r) {
    if (r == null) {
      return JSON.nullNode();
    }
    ObjectNode o = JSON.objectNode();
    o.put("time", Instant.ofEpochMilli(r.epochMillis()).toString());
    o.put("servingVersion", r.servingVersion());
    o.put("attemptedVersion", r.attemptedVersion());
    errors(o.putArray("errors"), r.errors());
    return o;
  }

  /** Null when every file of the config serves as written. */
  static JsonNode heldBack(HeldBack h) {
    if (h.files().isEmpty()) {
      return JSON.nullNode();
    }
    ObjectNode o = JSON.objectNode();
    h.files().forEach(o.putArray("files")::add);
    errors(o.putArray("errors"), h.errors());
    return o;
  }

  private static void errors(ArrayNode out, java.util.List<ConfigError> errors) {
    for (ConfigError e : errors) {
      out.addObject()
          .put("file", e.at().file())
          .put("line", e.at().line())
          .put("column", e.at().column())
          .put("path", e.path())
          .put("message", e.message())
          .put("text", e.format());
    }
  }

  static void json(HttpServerRequest req, JsonNode body) {
    req.response().putHeader("cache-control", "no-store");
    AdminServer.json(req, 200, body.toString());
  }

  /** Parses a small JSON body, or null when it is not JSON. */
  static JsonNode parse(byte[] body) {
    try {
      return Json.parse(body);
    } catch (IOException e) {
      return null;
    }
  }
}
