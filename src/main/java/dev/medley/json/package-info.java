/**
 * The one Jackson mapper and its byte-level helpers, shared by every layer (a leaf: it depends on
 * nothing of Medley's). Start with {@link dev.medley.json.Json}.
 */
package dev.medley.json;
