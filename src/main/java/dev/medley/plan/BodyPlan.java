package dev.medley.plan;

import java.util.Set;

/**
 * A route's body rules beyond the default (JSON in, steps that send JSON templates), compiled from
 * {@code requestBody:}, steps' {@code forwardBody:} and {@code proxy:}. A route that uses none of
 * them has none ({@link RoutePlan#bodies()} is null), so it runs exactly what it ran before.
 *
 * @param json a JSON body is accepted
 * @param form an {@code application/x-www-form-urlencoded} body is accepted; its fields are {@code
 *     body.NAME} in templates
 * @param text a {@code text/*} body is accepted; it is {@code body} (a string) in templates
 * @param bytes a body of any other type is accepted and forwarded unread ({@code body} is null)
 * @param jsonWithoutContentType a body without {@code Content-Type} is read as JSON
 * @param forwarding names of the steps that send the client's body upstream as received
 * @param proxy true for a pass-through route: its one step's answer is the reply
 */
public record BodyPlan(
    boolean json,
    boolean form,
    boolean text,
    boolean bytes,
    boolean jsonWithoutContentType,
    Set<String> forwarding,
    boolean proxy) {

  /** The name of a pass-through route's one step (in traces, metrics and errors). */
  public static final String PROXY_STEP = "proxy";
}
