package dev.medley.config;

/**
 * How an upstream's redirects (301, 302, 303, 307, 308) are followed: only to the same origin
 * (scheme, host and port of the instance called), at most {@code maxHops} times, within the same
 * attempt. Without it (the default) a redirect is a failed call.
 *
 * @param maxHops redirects followed per attempt, 3 by default (1 to 10)
 * @param at where it was declared
 */
public record RedirectSpec(int maxHops, Src at) {}
