package dev.medley.config;

import java.util.Map;

/**
 * A whole config file, as written. Immutable; compiled once into a {@code Plan}.
 *
 * @param version the config language version; only {@code 1} exists
 * @param server the public listener and the admin listener
 * @param upstreams the services steps may call, by name
 * @param experiences client experiences (web, mobile, ...) by name, each with its routes
 * @param observe metrics, access log and tracing; {@link ObserveSpec#DEFAULT} when absent
 * @param cache the store response and step caches share
 * @param auth how callers authenticate; {@link AuthSpec#NONE} when absent
 * @param state where replicas share rate limits, caches and invalidations; {@link
 *     StateSpec#DEFAULT} (in this process) when absent
 */
public record MedleySpec(
    int version,
    ServerSpec server,
    Map<String, UpstreamSpec> upstreams,
    Map<String, ExperienceSpec> experiences,
    ObserveSpec observe,
    CacheSpec cache,
    AuthSpec auth,
    StateSpec state) {

  /** As before {@code state:} existed: state kept in this process. */
  public MedleySpec(
      int version,
      ServerSpec server,
      Map<String, UpstreamSpec> upstreams,
      Map<String, ExperienceSpec> experiences,
      ObserveSpec observe,
      CacheSpec cache,
      AuthSpec auth) {
    this(version, server, upstreams, experiences, observe, cache, auth, StateSpec.DEFAULT);
  }

  /** The same config listening elsewhere; null keeps a port as configured. */
  public MedleySpec withPorts(Integer port, Integer adminPort) {
    return new MedleySpec(
        version,
        server.withPorts(port, adminPort),
        upstreams,
        experiences,
        observe,
        cache,
        auth,
        state);
  }
}
