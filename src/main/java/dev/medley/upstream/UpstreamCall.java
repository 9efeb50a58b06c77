package dev.medley.upstream;

import io.vertx.core.Future;

/** Sends one request to an upstream. The last link of a policy chain is the real HTTP client. */
@FunctionalInterface
public interface UpstreamCall {
  /** Fails with {@link UpstreamException} for every upstream-caused failure. */
  Future<UpstreamResponse> call(UpstreamRequest request);
}
