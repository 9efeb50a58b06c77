package dev.medley.plan;

import java.util.List;
import java.util.Map;

/**
 * One upstream request rendered from a step for this request: nothing in it is a template.
 *
 * @param pathAndQuery encoded path plus encoded query string
 * @param headers header name and value pairs
 * @param body JSON body bytes, or null
 */
public record StepCall(
    String method, String pathAndQuery, List<Map.Entry<String, String>> headers, byte[] body) {}
