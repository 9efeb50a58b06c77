package dev.medley.edge;

import dev.medley.engine.StepTrace;
import dev.medley.engine.Upstreams;
import dev.medley.plan.NameFilter;
import dev.medley.plan.Passing;
import dev.medley.upstream.UpstreamCall;
import dev.medley.upstream.UpstreamRequest;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One request's upstream calls for a route with {@link Passing} rules: each call gets the client
 * headers and query parameters its step forwards (never over a header or parameter the step's
 * templates or the gateway set), and each successful answer leaves the headers its step copies and
 * its {@code Cache-Control}, which {@link #apply} puts on the client's answer for the steps that
 * ended ok. Built only for such routes; touched only on the request's event loop.
 */
final class PassingCalls implements Upstreams {
  private final Upstreams base;
  private final Passing passing;
  private final EdgeRequest req;

  /** Per step index: copied header lines, as name, value, name, value... */
  private final List<String>[] lines;

  /** Per step index: each answer's {@code Cache-Control}, null for an answer without one. */
  private final List<String>[] cacheControls;

  private Set<String> connectionTokens;

  @SuppressWarnings("unchecked")
  PassingCalls(Upstreams base, Passing passing, EdgeRequest req) {
    this.base = base;
    this.passing = passing;
    this.req = req;
    int n = passing.copy().length;
    this.lines = new List[n];
    this.cacheControls = new List[n];
  }

  @Override
  public UpstreamCall call(String name) {
    UpstreamCall call = base.call(name);
    return r -> {
      Integer i = passing.stepIndex().get(r.step());
      if (i == null) {
        return call.call(r);
      }
      return call.call(forward(i, r)).map(resp -> kept(i, resp));
    };
  }

  @Override
  public Duration timeout(String name) {
    return base.timeout(name);
  }

  private UpstreamRequest forward(int i, UpstreamRequest r) {
    NameFilter h = passing.forwardHeaders()[i];
    if (h != null) {
      forwardHeaders(h, r.headers());
    }
    NameFilter q = passing.forwardQuery()[i];
    if (q == null) {
      return r;
    }
    String withQuery = withQuery(q, r.pathAndQuery());
    if (withQuery == r.pathAndQuery()) {
      return r;
    }
    return new UpstreamRequest(
        r.step(),
        r.method(),
        withQuery,
        r.headers(),
        r.body(),
        r.timeout(),
        r.deadlineNanos(),
        r.notes());
  }

  private void forwardHeaders(NameFilter f, MultiMap out) {
    MultiMap in = req.headers();
    if (f.exactOnly()) {
      for (String name : f.names()) {
        if (f.passes(name) && !out.contains(name) && in.contains(name)) {
          out.add(name, in.getAll(name));
        }
      }
      return;
    }
    for (String name : in.names()) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (f.passes(lower) && !out.contains(name) && !connectionTokens().contains(lower)) {
        out.add(name, in.getAll(name));
      }
    }
  }

  /** Headers the client's {@code Connection} names are hop-by-hop too (RFC 9110 7.6.1). */
  private Set<String> connectionTokens() {
    if (connectionTokens == null) {
      connectionTokens = new HashSet<>();
      for (String v : req.headers().getAll("connection")) {
        for (String t : v.split(",")) {
          connectionTokens.add(t.trim().toLowerCase(Locale.ROOT));
        }
      }
    }
    return connectionTokens;
  }

  /** {@code pathAndQuery} with the forwarded parameters after the step's own, which win. */
  private String withQuery(NameFilter f, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    Set<String> own = new HashSet<>();
    if (q >= 0) {
      for (String pair : pathAndQuery.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        own.add(eq < 0 ? pair : pair.substring(0, eq));
      }
    }
    StringBuilder b = null;
    for (Map.Entry<String, String> e : req.query()) {
      String encoded = Passing.encode(e.getKey());
      if (!f.passes(e.getKey()) || own.contains(encoded)) {
        continue;
      }
      if (b == null) {
        b = new StringBuilder(pathAndQuery).append(q >= 0 ? '&' : '?');
      } else {
        b.append('&');
      }
      b.append(encoded).append('=').append(Passing.encode(e.getValue()));
    }
    return b == null ? pathAndQuery : b.toString();
  }

  private UpstreamResponse kept(int i, UpstreamResponse resp) {
    if (resp.status() < 200 || resp.status() > 299) {
      return resp; // a failed answer's headers never reach the client
    }
    NameFilter copy = passing.copy()[i];
    if (copy != null) {
      for (Map.Entry<String, String> e : resp.headers()) {
        if (copy.passes(e.getKey().toLowerCase(Locale.ROOT))) {
          if (lines[i] == null) {
            lines[i] = new ArrayList<>();
          }
          lines[i].add(e.getKey());
          lines[i].add(e.getValue());
        }
      }
    }
    if (passing.composedCacheControl()) {
      if (cacheControls[i] == null) {
        cacheControls[i] = new ArrayList<>();
      }
      List<String> all = resp.headers().getAll("cache-control");
      cacheControls[i].add(all.isEmpty() ? null : String.join(",", all));
    }
    return resp;
  }

  /**
   * Puts the kept headers of the steps that ended ok on {@code reply}, each line as its own line,
   * and the composed {@code Cache-Control} when the route asks for it.
   */
  void apply(Reply reply, List<StepTrace> trace, String routeCacheControl) {
    List<String> parts = passing.composedCacheControl() ? new ArrayList<>() : null;
    for (int i = 0; i < lines.length && i < trace.size(); i++) {
      if (!"ok".equals(trace.get(i).outcome())) {
        continue;
      }
      if (lines[i] != null) {
        for (int k = 0; k < lines[i].size(); k += 2) {
          reply.headers().add(lines[i].get(k), lines[i].get(k + 1));
        }
      }
      if (parts != null && cacheControls[i] != null) {
        parts.addAll(cacheControls[i]);
      }
    }
    if (parts != null) {
      String composed = CacheControls.compose(routeCacheControl, parts);
      if (composed != null) {
        reply.headers().set("cache-control", composed);
      }
    }
  }
}
