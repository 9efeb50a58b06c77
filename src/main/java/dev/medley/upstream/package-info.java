/**
 * Calls to upstream services: the real pooled HTTP client and the policy chain around it. Start
 * with {@link dev.medley.upstream.UpstreamCall} and {@link dev.medley.upstream.UpstreamPolicy}.
 */
package dev.medley.upstream;
