/**
 * Injected time: the {@link dev.medley.time.Clock} every deadline, timer and expiry goes through.
 * Start with {@code Clock}; tests use {@code ManualClock}.
 */
package dev.medley.time;
