package dev.medley.upstream;

import dev.medley.config.UpstreamSpec;

/**
 * What answers an upstream's calls in place of its HTTP client, as the last link of its policy
 * chain: the fake upstreams of {@code medley test} and the examples of {@code medley mock}. Like
 * the HTTP client, a transport enforces each attempt's timeout (capped by the deadline) itself.
 */
@FunctionalInterface
public interface UpstreamTransport {
  /** The call that answers for {@code upstream}. */
  UpstreamCall client(UpstreamSpec upstream);
}
