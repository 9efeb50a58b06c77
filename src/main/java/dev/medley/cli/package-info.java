/**
 * The {@code medley} command line: {@code run}, {@code validate} and {@code demo}. Start with
 * {@link dev.medley.cli.Main}.
 */
package dev.medley.cli;
