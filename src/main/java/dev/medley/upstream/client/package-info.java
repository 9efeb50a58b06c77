/**
 * The client at the end of each upstream's policy chain: instance choice and ejection, the Vert.x
 * pool (TLS, HTTP/2) or the lean HTTP/1.1 client, attempt timeouts, health probes; one per
 * configured upstream in {@link dev.medley.upstream.client.UpstreamRegistry}. Start with {@link
 * dev.medley.upstream.client.HttpUpstreamClient}.
 */
package dev.medley.upstream.client;
