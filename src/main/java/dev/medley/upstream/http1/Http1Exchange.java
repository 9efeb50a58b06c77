package dev.medley.upstream.http1;

import dev.medley.time.Clock;
import dev.medley.upstream.UpstreamException;
import dev.medley.upstream.UpstreamResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.impl.headers.HeadersMultiMap;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.http.HttpHeadersInternal;
import java.time.Duration;

/**
 * One attempt: the encoded request, the answer collected so far, the timer. Settles its promise
 * exactly once, on the caller's context; a timeout, an oversize answer or a broken answer closes
 * the connection, since a half-read HTTP/1.1 connection cannot carry another request.
 */
final class Http1Exchange {
  private final String name;
  private final long maxBody;
  private final ContextInternal ctx;
  private final Promise<UpstreamResponse> promise;
  private final FullHttpRequest request;
  private Clock.Cancellable timer;
  private Http1Connection connection;
  private boolean settled;
  private int status;
  private MultiMap headers;
  private boolean keepAlive;
  private ByteBuf body;

  Http1Exchange(
      String name,
      long maxBody,
      ContextInternal ctx,
      Promise<UpstreamResponse> promise,
      FullHttpRequest request) {
    this.name = name;
    this.maxBody = maxBody;
    this.ctx = ctx;
    this.promise = promise;
    this.request = request;
  }

  /**
   * The request with {@code host} and {@code content-length} added to {@code h}, which must
   * validate what is added as {@link HeadersMultiMap#httpHeaders()} does (a CR or LF in a value is
   * refused, never sent).
   */
  static FullHttpRequest request(
      String method, String uri, String host, int port, HttpHeaders h, Buffer body) {
    if (!h.contains(HttpHeaderNames.HOST)) {
      h.set(HttpHeaderNames.HOST, port == 80 ? host : host + ':' + port);
    }
    // A copy: the encoder releases what it writes, and a retry sends the same body again.
    ByteBuf content =
        body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body.getBytes());
    if (body != null
        || !"GET".equals(method) && !"HEAD".equals(method) && !"DELETE".equals(method)) {
      h.set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    }
    return new DefaultFullHttpRequest(
        HttpVersion.HTTP_1_1,
        HttpMethod.valueOf(method),
        uri,
        content,
        h,
        EmptyHttpHeaders.INSTANCE);
  }

  void startTimer(Clock clock, Duration timeout, UpstreamException.Kind kind) {
    timer =
        clock.schedule(
            timeout,
            () ->
                onLoop(
                    () ->
                        fail(
                            new UpstreamException(
                                kind,
                                name,
                                "upstream '"
                                    + name
                                    + "' did not answer within "
                                    + timeout.toMillis()
                                    + "ms"))));
  }

  private void onLoop(Runnable r) {
    if (ctx.nettyEventLoop().inEventLoop()) {
      r.run();
    } else {
      ctx.nettyEventLoop().execute(r);
    }
  }

  boolean settled() {
    return settled;
  }

  FullHttpRequest request() {
    return request;
  }

  /** Writes the request on {@code c}. */
  void start(Http1Connection c) {
    connection = c;
    c.send(this);
  }

  /** The status line and headers; false when the declared length is already over the limit. */
  boolean head(HttpResponse r) {
    status = r.status().code();
    headers = HttpHeadersInternal.headers(r.headers());
    keepAlive = HttpUtil.isKeepAlive(r);
    long declared = HttpUtil.getContentLength(r, -1L);
    if (declared > maxBody) {
      fail(tooLarge());
      return false;
    }
    body = Unpooled.buffer(declared > 0 ? (int) Math.min(declared, 65_536) : 256);
    return true;
  }

  /** Appends a piece of the body; false (and failed) when it goes over the limit. */
  boolean append(ByteBuf chunk) {
    if ((long) body.readableBytes() + chunk.readableBytes() > maxBody) {
      fail(tooLarge());
      return false;
    }
    body.writeBytes(chunk);
    return true;
  }

  boolean keepAlive() {
    return keepAlive;
  }

  void complete() {
    if (settled) {
      return;
    }
    settled = true;
    timer.cancel(); // before completing: completion runs the whole rest of the request
    settle(new UpstreamResponse(status, headers, BufferInternal.buffer(body)), null);
  }

  /** Fails the attempt and, if it holds a connection mid-exchange, closes that connection. */
  void fail(UpstreamException e) {
    if (settled) {
      return;
    }
    settled = true;
    timer.cancel();
    if (connection != null) {
      connection.abort(this);
    }
    settle(null, e);
  }

  /**
   * Completes the promise on this loop inside the caller's context, so its listeners run at once; a
   * worker context's listeners are handed to its own thread by the promise.
   */
  private void settle(UpstreamResponse resp, UpstreamException e) {
    if (ctx.isEventLoopContext()) {
      ctx.emit(
          v -> {
            if (e == null) {
              promise.complete(resp);
            } else {
              promise.fail(e);
            }
          });
    } else if (e == null) {
      promise.complete(resp);
    } else {
      promise.fail(e);
    }
  }

  void failBroken() {
    fail(UpstreamException.ofTransport(name, null));
  }

  void failConnect(Throwable cause) {
    fail(UpstreamException.ofTransport(name, cause));
  }

  void failClosed() {
    fail(
        new UpstreamException(
            UpstreamException.Kind.CONNECT, name, "upstream '" + name + "' client is closed"));
  }

  private UpstreamException tooLarge() {
    return new UpstreamException(
        UpstreamException.Kind.TOO_LARGE,
        name,
        "upstream '" + name + "' answered more than " + maxBody + " bytes");
  }
}
