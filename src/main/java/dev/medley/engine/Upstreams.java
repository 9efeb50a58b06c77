package dev.medley.engine;

import dev.medley.upstream.UpstreamCall;
import java.time.Duration;

/** What the engine needs of the configured upstreams: a call chain and a default timeout each. */
public interface Upstreams {
  /** The decorated call for {@code name}; the plan guarantees the name exists. */
  UpstreamCall call(String name);

  /** The upstream's per-attempt timeout. */
  Duration timeout(String name);
}
