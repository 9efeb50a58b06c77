package dev.medley.config;

import java.util.List;

/**
 * What request bodies a route accepts ({@code requestBody:}); without it a route accepts JSON with
 * a JSON {@code Content-Type} only.
 *
 * @param accept the kinds accepted: {@code json}, {@code form} (application/x-www-form-urlencoded),
 *     {@code text} (text/*) and {@code bytes} (any other type, forwarded unread)
 * @param jsonWithoutContentType true to read a body without {@code Content-Type} as JSON; only
 *     valid on routes whose callers must send a bearer token
 * @param at where {@code requestBody:} is written
 */
public record RequestBodySpec(List<String> accept, boolean jsonWithoutContentType, Src at) {
  /** The kinds {@code accept} may list. */
  public static final List<String> KINDS = List.of("json", "form", "text", "bytes");
}
