/**
 * The lean HTTP/1.1 client for plain-text upstreams: one exchange per kept-alive Netty connection,
 * connections owned by the calling event loop, a cap shared by all loops. Start at {@link
 * dev.medley.upstream.http1.Http1Client}.
 */
package dev.medley.upstream.http1;
