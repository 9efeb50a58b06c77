/**
 * Tools for the teams who write configs: composition tests ({@code medley test}, start at {@link
 * dev.medley.devtools.CompositionTests}), OpenAPI documents ({@link dev.medley.devtools.OpenApi})
 * and the example-answering mock ({@link dev.medley.devtools.MockAnswers}).
 */
package dev.medley.devtools;
