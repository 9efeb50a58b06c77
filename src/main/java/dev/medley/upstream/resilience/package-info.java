/**
 * Outbound resilience: retries with a budget, circuit breakers, bulkheads and instance balancing
 * with ejection, composed per upstream as retry( hedge( breaker( bulkhead( timeout( call )))))
 * (hedge only where configured). Start with {@link dev.medley.upstream.resilience.Resilience};
 * other code observes it through {@link dev.medley.upstream.resilience.ResilienceListener} and
 * {@link dev.medley.upstream.resilience.ResilienceEvents}.
 */
package dev.medley.upstream.resilience;
