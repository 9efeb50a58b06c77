package dev.medley.config;

import java.util.Set;

/**
 * Which upstream error statuses a route or a critical step answers with itself, instead of the 502
 * problem: {@code passErrors: [404, 409, 422, 429]}, {@code passErrors: 4xx}, or the long form with
 * {@code statuses}, {@code body} and {@code maxBodySize}. Only the status, and on request the body
 * with its content type, pass; of the upstream's headers only {@code Retry-After} does.
 *
 * @param codes single statuses listed (400-599)
 * @param clientErrors true when {@code 4xx} is listed: every 4xx status passes
 * @param serverErrors true when {@code 5xx} is listed: every 5xx status passes
 * @param body whose bodies pass; {@link Body#NONE} (the default) answers a problem+json with the
 *     passed status
 * @param maxBodySize the largest body that passes, 16KiB by default; a larger one is replaced by
 *     the problem
 * @param at where it was declared
 */
public record PassErrorsSpec(
    Set<Integer> codes,
    boolean clientErrors,
    boolean serverErrors,
    Body body,
    long maxBodySize,
    Src at) {

  /** Whose bodies are passed with their status. */
  public enum Body {
    /** No body passes: the client gets a problem+json with the upstream's status. */
    NONE,
    /** 4xx bodies pass (JSON, problem+json or text); 5xx bodies never do. */
    CLIENT_ERRORS,
    /** 4xx and 5xx bodies pass: only for upstreams whose 5xx bodies are safe to show. */
    ALL
  }

  /** True when {@code status} is passed to the client. */
  public boolean passes(int status) {
    return codes.contains(status)
        || (clientErrors && status >= 400 && status <= 499)
        || (serverErrors && status >= 500 && status <= 599);
  }

  /** True when the body of an answer with {@code status} is passed (when its type allows). */
  public boolean passesBody(int status) {
    return body == Body.ALL || (body == Body.CLIENT_ERRORS && status < 500);
  }
}
