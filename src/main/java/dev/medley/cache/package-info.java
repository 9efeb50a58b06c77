/**
 * Speed from not calling: response and step caches with tags and stale windows, request coalescing,
 * client caching (ETag, 304). Start with {@link dev.medley.cache.Caching}; DESIGN.md beside this
 * file explains the choices.
 */
package dev.medley.cache;
