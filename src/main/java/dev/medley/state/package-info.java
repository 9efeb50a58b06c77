/**
 * Backends for shared state. Today the in-memory cache store; a Redis backend can implement the
 * same interfaces later. Start with {@link dev.medley.state.MemoryCacheStore}.
 */
package dev.medley.state;
