package dev.medley.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.medley.GatewayTest;
import dev.medley.edge.EdgeFilter;
import dev.medley.json.Json;
import dev.medley.testing.Harness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/**
 * Shared setup for caching tests: upstreams a, b, c, an admin token, and a claims-setting filter.
 */
abstract class CacheTestSupport extends GatewayTest {
  static final String TOKEN = "test-admin-token";
  static final String HEAD =
      """
      version: 1
      server:
        admin: { token: %s }
      upstreams:
        a: { url: "${env:A}" }
        b: { url: "${env:B}" }
        c: { url: "${env:C}" }
      experiences:
        web:
          basePath: /web
          routes:
      """
          .formatted(TOKEN);

  /**
   * Stands in for the auth filter: the {@code x-test-sub} (and {@code x-test-tenant}) request
   * headers become verified claims, as a JWT's would.
   */
  static final EdgeFilter TEST_IDENTITY =
      (req, next) -> {
        String sub = req.headers().get("x-test-sub");
        if (sub != null) {
          var claims = JsonNodeFactory.instance.objectNode().put("sub", sub);
          String tenant = req.headers().get("x-test-tenant");
          if (tenant != null) {
            claims.put("tenant", tenant);
          }
          req.claims(claims);
        }
        return next.handle(req);
      };

  Harness routes(String routes) {
    return start(
        HEAD + routes.indent(8), clock, o -> o.withRouteFilters(List.of(metrics -> TEST_IDENTITY)));
  }

  HttpResponse<String> get(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return gw.request(b);
  }

  static String xCache(HttpResponse<?> r) {
    return r.headers().firstValue("x-cache").orElse("none");
  }

  static JsonNode json(String body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  /** POSTs an invalidation to the admin port with the token. */
  HttpResponse<String> invalidate(String jsonBody) {
    return gw.request(
        HttpRequest.newBuilder(java.net.URI.create(adminBase() + "/cache/invalidate"))
            .header("authorization", "Bearer " + TOKEN)
            .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
  }

  String adminBase() {
    return "http://127.0.0.1:" + gw.gateway.adminPort();
  }

  CacheStats stats() {
    return gw.gateway.cacheStats();
  }
}
