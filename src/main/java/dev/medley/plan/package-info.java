/**
 * Compiles a config into an immutable, executable plan: routes, step DAGs, templates, expressions
 * and shapes. Start with {@link dev.medley.plan.PlanCompiler}; {@link dev.medley.plan.Plan} is its
 * output.
 */
package dev.medley.plan;
