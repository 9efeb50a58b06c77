package dev.medley.observe;

/**
 * What policies and filters outside {@code observe} record: retries, breaker transitions, cache
 * results and rate-limit rejections. The gateway hands one instance to every policy it builds;
 * requests, steps, attempts and in-flight counts are recorded by {@code observe} itself.
 *
 * <p>Every method is cheap (the meters are created once and reused) and safe from any thread. Names
 * and labels are in {@link TelemetryNames}.
 */
public interface Metrics {
  /** A recorder that records nothing: metrics disabled, or a policy built outside a gateway. */
  Metrics NOOP =
      new Metrics() {
        @Override
        public void retry(String upstream) {}

        @Override
        public void breakerTransition(String upstream, BreakerState from, BreakerState to) {}

        @Override
        public void cache(CacheLayer layer, CacheResult result) {}

        @Override
        public void rateLimited(String experience) {}
      };

  /** A retry is about to be sent to {@code upstream} ({@code medley_upstream_retries_total}). */
  void retry(String upstream);

  /**
   * The breaker of {@code upstream} moved from {@code from} to {@code to}: counts the transition
   * and sets {@code medley_breaker_state} to {@code to}.
   */
  void breakerTransition(String upstream, BreakerState from, BreakerState to);

  /** A cache lookup in {@code layer} gave {@code result} ({@code medley_cache_requests_total}). */
  void cache(CacheLayer layer, CacheResult result);

  /** A request of {@code experience} was refused with 429 ({@code medley_rate_limited_total}). */
  void rateLimited(String experience);

  /**
   * A config reload ended with {@code outcome} (applied, unchanged, rejected, unavailable; {@code
   * medley_config_reloads_total}), leaving {@code heldFiles} files of a folder config on their last
   * good version ({@code medley_config_files_held}).
   */
  default void configReload(String outcome, int heldFiles) {}

  /**
   * One call to the shared-state Redis took {@code nanos} and ended in {@code outcome} ({@code
   * medley_state_redis_seconds}).
   */
  default void stateCall(String op, String outcome, long nanos) {}

  /**
   * A shared-state concern entered {@code mode} among {@code modes} ({@code medley_state_mode}): 1
   * for it, 0 for the others.
   */
  default void stateMode(String concern, String mode, java.util.List<String> modes) {}

  /**
   * A hedge of a call to {@code upstream} was sent, won or refused ({@code
   * medley_upstream_hedges_total}); {@code outcome} is a {@code TelemetryNames.HEDGE_*} word.
   */
  default void hedge(String upstream, String outcome) {}

  /**
   * A shadow step of {@code route} ended in {@code outcome} ({@code medley_shadow_calls_total}); a
   * {@code TelemetryNames.SHADOW_*} word.
   */
  default void shadow(String route, String step, String outcome) {}
}
