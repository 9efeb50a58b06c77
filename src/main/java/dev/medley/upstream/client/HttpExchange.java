package dev.medley.upstream.client;

import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamResponse;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;

/**
 * One attempt on the wire: the request once created, the body collected so far, the timer. Settles
 * its promise exactly once; a timeout or oversize answer resets the stream so the connection is not
 * left busy.
 */
final class HttpExchange {
  private final String name;
  private final long maxBody;
  private final Promise<UpstreamResponse> promise;
  private Clock.Cancellable timer;
  private HttpClientRequest request;
  private Buffer body;
  private boolean settled;

  HttpExchange(String name, long maxBody, Promise<UpstreamResponse> promise) {
    this.name = name;
    this.maxBody = maxBody;
    this.promise = promise;
  }

  void send(
      HttpClient client,
      RequestOptions opts,
      Buffer requestBody,
      Clock clock,
      Duration timeout,
      UpstreamException.Kind timeoutKind) {
    timer =
        clock.schedule(
            timeout,
            () ->
                fail(
                    new UpstreamException(
                        timeoutKind,
                        name,
                        "upstream '"
                            + name
                            + "' did not answer within "
                            + timeout.toMillis()
                            + "ms")));
    client
        .request(opts)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(classify(ar.cause()));
                return;
              }
              HttpClientRequest req = ar.result();
              request = req;
              if (settled) {
                req.reset();
                return;
              }
              req.response()
                  .onComplete(
                      rar -> {
                        if (rar.failed()) {
                          fail(classify(rar.cause()));
                        } else {
                          receive(rar.result());
                        }
                      });
              (requestBody == null ? req.end() : req.end(requestBody))
                  .onFailure(t -> fail(classify(t)));
            });
  }

  private UpstreamException classify(Throwable t) {
    return UpstreamException.ofTransport(name, t);
  }

  void fail(UpstreamException e) {
    if (settled) {
      return;
    }
    settled = true; // first: aborting may report the reset back into this method
    timer.cancel();
    if (request != null) {
      request.reset();
    }
    promise.fail(e);
  }

  private void receive(HttpClientResponse resp) {
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
    resp.handler(
        chunk -> {
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
    resp.endHandler(
        v -> {
          if (!settled) {
            settled = true;
            timer.cancel(); // before completing: completion runs the whole rest of the request
            promise.complete(new UpstreamResponse(resp.statusCode(), resp.headers(), body));
          }
        });
  }

  private UpstreamException tooLarge() {
    return new UpstreamException(
        UpstreamException.Kind.TOO_LARGE,
        name,
        "upstream '" + name + "' answered more than " + maxBody + " bytes");
  }
}
