package dev.medley.upstream.client;

import dev.medley.config.UpstreamSpec;
import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamCall;
import dev.medley.upstream.UpstreamPolicy;
import dev.medley.upstream.UpstreamTransport;
import dev.medley.upstream.resilience.ResilienceListener;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One client per configured upstream, each wrapped in its policy chain. Built beside a plan and
 * closed when that plan is retired.
 */
public final class UpstreamRegistry {
  private final Map<String, UpstreamCall> calls = new HashMap<>();
  private final Map<String, Duration> timeouts = new HashMap<>();
  private final List<HttpUpstreamClient> clients = new ArrayList<>();

  /**
   * @param policies the outbound policies for one upstream, outermost first
   */
  public UpstreamRegistry(
      Vertx vertx,
      Map<String, UpstreamSpec> specs,
      Clock clock,
      Function<UpstreamSpec, List<UpstreamPolicy>> policies) {
    this(vertx, specs, clock, policies, ResilienceListener.NONE);
  }

  /**
   * @param policies the outbound policies for one upstream, outermost first
   * @param events receives the instance breakers' events
   */
  public UpstreamRegistry(
      Vertx vertx,
      Map<String, UpstreamSpec> specs,
      Clock clock,
      Function<UpstreamSpec, List<UpstreamPolicy>> policies,
      ResilienceListener events) {
    this(vertx, specs, clock, policies, events, null);
  }

  /**
   * @param policies the outbound policies for one upstream, outermost first
   * @param events receives the instance breakers' events
   * @param transport answers the calls instead of HTTP clients, or null for HTTP
   */
  public UpstreamRegistry(
      Vertx vertx,
      Map<String, UpstreamSpec> specs,
      Clock clock,
      Function<UpstreamSpec, List<UpstreamPolicy>> policies,
      ResilienceListener events,
      UpstreamTransport transport) {
    for (UpstreamSpec spec : specs.values()) {
      UpstreamCall last;
      if (transport == null) {
        HttpUpstreamClient client = HttpUpstreamClient.create(vertx, spec, clock, events);
        clients.add(client);
        last = client;
      } else {
        last = transport.client(spec);
      }
      calls.put(spec.name(), UpstreamPolicy.chain(policies.apply(spec), last));
      timeouts.put(spec.name(), spec.timeout());
    }
  }

  public UpstreamCall call(String name) {
    return calls.get(name);
  }

  public Duration timeout(String name) {
    return timeouts.get(name);
  }

  public Future<Void> close() {
    List<Future<Void>> all = new ArrayList<>();
    clients.forEach(c -> all.add(c.close()));
    return Future.all(all).mapEmpty();
  }
}
