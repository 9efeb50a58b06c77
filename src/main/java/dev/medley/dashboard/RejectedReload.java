package dev.medley.dashboard;

import dev.medley.config.ConfigError;
import java.util.List;

/**
 * The last reload that was refused, for the dashboard: when, which version kept serving, the
 * version of the text refused, and every located error.
 */
public record RejectedReload(
    long epochMillis, String servingVersion, String attemptedVersion, List<ConfigError> errors) {}
