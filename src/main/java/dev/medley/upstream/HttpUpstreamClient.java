package dev.medley.upstream;

import dev.medley.config.UpstreamSpec;
import dev.medley.time.Clock;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * The real HTTP call at the end of an upstream's policy chain: a pooled keep-alive Vert.x client
 * that enforces the attempt timeout (on the injected clock) and the response size limit, and turns
 * every transport problem into an {@link UpstreamException}.
 */
public final class HttpUpstreamClient implements UpstreamCall {
  private final String name;
  private final HttpClient client;
  private final String host;
  private final int port;
  private final boolean ssl;
  private final String basePath;
  private final long maxBody;
  private final Map<String, String> fixedHeaders;
  private final Clock clock;

  private HttpUpstreamClient(Vertx vertx, UpstreamSpec spec, Clock clock) {
    URI uri = URI.create(spec.url());
    this.name = spec.name();
    this.ssl = "https".equals(uri.getScheme());
    this.host = uri.getHost();
    this.port = uri.getPort() > 0 ? uri.getPort() : (ssl ? 443 : 80);
    String p = uri.getRawPath() == null ? "" : uri.getRawPath();
    this.basePath = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    this.maxBody = spec.maxResponseSize();
    this.fixedHeaders = spec.headers();
    this.clock = clock;
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, spec.timeout().toMillis()))
        .setSsl(ssl);
    if (spec.tls() != null) {
      // A private CA instead of the JVM's trust store, and a client certificate for mutual TLS; host names are still verified.
      if (spec.tls().ca() != null) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(spec.tls().ca()));
      }
      if (spec.tls().cert() != null) {
        options.setKeyCertOptions(new PemKeyCertOptions().setCertPath(spec.tls().cert()).setKeyPath(spec.tls().key()));
      }
    }
    this.client = vertx.httpClientBuilder()
        .with(options)
        .with(new PoolOptions().setHttp1MaxSize(spec.maxConnections()))
        .build();
  }

  public static HttpUpstreamClient create(Vertx vertx, UpstreamSpec spec, Clock clock) {
    return new HttpUpstreamClient(vertx, spec, clock);
  }

  public String name() {
    return name;
  }

  @Override
  public Future<UpstreamResponse> call(UpstreamRequest r) {
    Promise<UpstreamResponse> promise = Promise.promise();
    Exchange ex = new Exchange(r, promise);
    ex.timer = clock.schedule(r.timeout(), ex::timedOut);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    if (r.headers() != null) {
      headers.addAll(r.headers());
    }
    fixedHeaders.forEach(headers::set);
    RequestOptions opts = new RequestOptions()
        .setMethod(HttpMethod.valueOf(r.method()))
        .setHost(host)
        .setPort(port)
        .setSsl(ssl)
        .setURI(basePath + r.pathAndQuery())
        .setHeaders(headers);
    client.request(opts).onComplete(ar -> {
      if (ar.failed()) {
        ex.fail(classify(ar.cause()));
        return;
      }
      HttpClientRequest req = ar.result();
      ex.request = req;
      if (ex.settled) {
        req.reset();
        return;
      }
      req.response().onComplete(rar -> {
        if (rar.failed()) {
          ex.fail(classify(rar.cause()));
        } else {
          ex.receive(rar.result());
        }
      });
      Future<Void> sent = r.body() == null ? req.end() : req.end(r.body());
      sent.onFailure(t -> ex.fail(classify(t)));
    });
    return promise.future();
  }

  private UpstreamException classify(Throwable t) {
    if (t instanceof UpstreamException u) {
      return u;
    }
    Throwable c = t;
    while (c != null) {
      if (c instanceof ConnectException || c instanceof UnknownHostException
          || c instanceof io.netty.channel.ConnectTimeoutException) {
        return new UpstreamException(UpstreamException.Kind.CONNECT, name, "could not connect to upstream '" + name + "'");
      }
      c = c.getCause();
    }
    return new UpstreamException(UpstreamException.Kind.RESET, name, "connection to upstream '" + name + "' broke");
  }

  public Future<Void> close() {
    return client.close();
  }

  /** State of one call: the request once created, the body collected so far, the timer. */
  private final class Exchange {
    private final UpstreamRequest r;
    private final Promise<UpstreamResponse> promise;
    private Clock.Cancellable timer;
    private HttpClientRequest request;
    private Buffer body;
    private boolean settled;

    Exchange(UpstreamRequest r, Promise<UpstreamResponse> promise) {
      this.r = r;
      this.promise = promise;
    }

    void timedOut() {
      UpstreamException.Kind kind = r.timeoutIsDeadline() ? UpstreamException.Kind.DEADLINE : UpstreamException.Kind.TIMEOUT;
      fail(new UpstreamException(kind, name, "upstream '" + name + "' did not answer within " + r.timeout().toMillis() + "ms"));
    }

    void fail(UpstreamException e) {
      if (settled) {
        return;
      }
      settled = true; // first: aborting may report the reset back into this method
      timer.cancel();
      abort();
      promise.fail(e);
    }

    private void abort() {
      if (request != null) {
        request.reset();
      }
    }

    void receive(HttpClientResponse resp) {
      String len = resp.getHeader("content-length");
      if (len != null) {
        try {
          if (Long.parseLong(len.trim()) > maxBody) {
            fail(tooLarge());
            return;
          }
        } catch (NumberFormatException ignored) {
          // A broken length header is caught by the transport or by the JSON parse.
        }
      }
      body = Buffer.buffer();
      resp.handler(chunk -> {
        if (settled) {
          return;
        }
        if ((long) body.length() + chunk.length() > maxBody) {
          fail(tooLarge());
        } else {
          body.appendBuffer(chunk);
        }
      });
      resp.exceptionHandler(t -> fail(classify(t)));
      resp.endHandler(v -> {
        if (!settled) {
          settled = true;
          timer.cancel(); // before completing: completion runs the whole rest of the request
          promise.complete(new UpstreamResponse(resp.statusCode(), resp.headers(), body));
        }
      });
    }

    private UpstreamException tooLarge() {
      return new UpstreamException(UpstreamException.Kind.TOO_LARGE, name,
          "upstream '" + name + "' answered more than " + maxBody + " bytes");
    }
  }
}
