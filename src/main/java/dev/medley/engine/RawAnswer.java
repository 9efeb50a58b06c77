package dev.medley.engine;

import com.fasterxml.jackson.databind.node.POJONode;
import dev.medley.upstream.UpstreamResponse;

/**
 * A pass-through step's result: the upstream's answer carried unread through the run to the edge,
 * which writes it as the reply (status, headers, bytes). It is never rendered into JSON.
 */
public final class RawAnswer extends POJONode {
  RawAnswer(UpstreamResponse response) {
    super(response);
  }

  /** The upstream's answer as received. */
  public UpstreamResponse response() {
    return (UpstreamResponse) getPojo();
  }
}
