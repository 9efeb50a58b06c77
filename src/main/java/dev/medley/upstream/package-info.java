/**
 * The contract of a call to an upstream service (request, response, failure) and the policy chain
 * around it; the clients that implement the last link live in {@code upstream.client} and {@code
 * upstream.http1}, the resilience policies in {@code upstream.resilience}. Start with {@link
 * dev.medley.upstream.UpstreamCall} and {@link dev.medley.upstream.UpstreamPolicy}.
 */
package dev.medley.upstream;
