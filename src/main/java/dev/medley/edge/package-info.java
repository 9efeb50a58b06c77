/**
 * The public front door: the listener, inbound filters and the route handler that hands requests to
 * the engine. Start with {@link dev.medley.edge.EdgeServer} and {@link
 * dev.medley.edge.RouteHandler}.
 */
package dev.medley.edge;
