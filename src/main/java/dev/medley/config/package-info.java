/**
 * The config language: YAML read into immutable spec records, with every structural error located
 * at file:line:column. Start with {@link dev.medley.config.ConfigLoader}.
 */
package dev.medley.config;
