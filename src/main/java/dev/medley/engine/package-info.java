/**
 * Runs a compiled route for one request: fan-out, dependencies, conditions, forEach and batching,
 * deadlines and degradation. Start with {@link dev.medley.engine.Engine} and {@code Execution}.
 */
package dev.medley.engine;
