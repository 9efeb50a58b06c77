/**
 * Outbound resilience: retries with a budget, circuit breakers, bulkheads and instance balancing
 * with ejection, composed per upstream as retry( breaker( bulkhead( timeout( call )))). Start with
 * {@link dev.medley.upstream.resilience.Resilience}; other code observes it through {@link
 * dev.medley.upstream.resilience.ResilienceListener} and {@link
 * dev.medley.upstream.resilience.ResilienceEvents}.
 */
package dev.medley.upstream.resilience;
