package dev.medley.config;

/**
 * How one step uses bodies beyond its JSON {@code body:} template.
 *
 * @param forwardBody true to send the client's request body upstream, bytes and {@code
 *     Content-Type} as received ({@code forwardBody: true})
 * @param responseType how the upstream's answer is read: {@code json} (the default: a body that is
 *     not JSON fails the step), {@code text} (the body as a string), {@code auto} (JSON types
 *     parsed, {@code text/*} as a string, anything else fails the step)
 */
public record BodyUse(boolean forwardBody, String responseType) {
  /** What a step does without either key. */
  public static final BodyUse DEFAULT = new BodyUse(false, "json");

  /** The step of a pass-through route: its answer is handed back unread. */
  public static final String RAW = "raw";
}
