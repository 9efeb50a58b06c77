package dev.medley.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What {@code /health/ready} reports. The gateway is ready when a plan is loaded, the public
 * listener is listening, it is not shutting down, and no upstream that a critical step calls has
 * failed its health check {@value dev.medley.upstream.client.HealthProbe#FAILURES_TO_DOWN} times in
 * a row. Upstreams only optional steps call are reported but never make the gateway unready: their
 * failure degrades answers, it does not make this replica useless.
 *
 * @param planLoaded a compiled plan is live
 * @param listening the public listener is bound
 * @param stopping a shutdown has begun
 * @param upstreams the upstreams with health checks
 */
public record Readiness(
    boolean planLoaded, boolean listening, boolean stopping, List<UpstreamCheck> upstreams) {

  /**
   * One checked upstream.
   *
   * @param name the upstream
   * @param up false after repeated failed checks
   * @param critical true when some route calls it from a critical step: only then does it count
   * @param failures failed checks in a row
   * @param lastProblem why the last check failed, or null
   */
  public record UpstreamCheck(
      String name, boolean up, boolean critical, int failures, String lastProblem) {}

  public boolean ready() {
    return planLoaded
        && listening
        && !stopping
        && upstreams.stream().allMatch(u -> u.up() || !u.critical());
  }

  /** {@code ready}, {@code starting}, {@code stopping} or {@code unready}. */
  public String status() {
    if (stopping) {
      return "stopping";
    }
    if (!planLoaded || !listening) {
      return "starting";
    }
    return ready() ? "ready" : "unready";
  }

  /** The JSON body: the status and every condition behind it. */
  public ObjectNode json() {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("status", status());
    o.put("plan", planLoaded ? "loaded" : "none");
    o.put("listener", listening && !stopping ? "listening" : "closed");
    ObjectNode ups = o.putObject("upstreams");
    for (UpstreamCheck u : upstreams) {
      ObjectNode n = ups.putObject(u.name());
      n.put("status", u.up() ? "up" : "down");
      n.put("critical", u.critical());
      n.put("failures", u.failures());
      if (u.lastProblem() != null) {
        n.put("lastProblem", u.lastProblem());
      }
    }
    return o;
  }
}
