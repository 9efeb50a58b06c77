package dev.medley.config;

import java.time.Duration;

/**
 * An active health check of one upstream. Only upstreams that a critical step calls can make the
 * gateway unready, and only after three checks in a row fail.
 *
 * @param path path called with GET, appended to the upstream's url; a 2xx answer within the
 *     upstream's timeout is healthy
 * @param interval time between checks, 10s by default
 * @param at where {@code health} was written
 */
public record HealthSpec(String path, Duration interval, Src at) {
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
}
