package dev.medley.edge;

import dev.medley.time.Clock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.impl.VertxConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the public listener enforces per connection, below the request handler: the connection cap
 * ({@code server.limits.maxConnections}: a connection beyond it gets a 503 and is closed at once,
 * so file descriptors never run out and the admin port keeps answering), the header timeout ({@code
 * server.limits.headerTimeout}: a request head not complete in time gets a 408 and the connection
 * closes; it is timed from the first byte of each request that does not arrive whole in one read,
 * so trickling header lines cannot hold a connection, and a connection that sends nothing at all
 * gets the same time from its opening), and the framing refusals of {@link StrictRequestDecoder}
 * and of the chunk decoder (a malformed or oversized chunk size), each answered with a problem
 * before the connection is closed. Every HTTP/1.1 connection closes lingering ({@link
 * LingeringClose}), whoever closes it. HTTP/1.1 only: TLS connections that negotiate HTTP/2 keep
 * their own codec.
 */
final class ConnectionGuard {
  /**
   * Vert.x's name for the HTTP/1.1 request decoder, which {@link StrictRequestDecoder} replaces.
   */
  static final String DECODER = "httpDecoder";

  private final Clock clock;
  private final Duration headerTimeout;
  private final int maxConnections;
  private final HttpServerOptions options;
  private final AtomicInteger open = new AtomicInteger();
  private final LingeringClose closing;

  ConnectionGuard(
      Clock clock, Duration headerTimeout, int maxConnections, HttpServerOptions options) {
    this.clock = clock;
    this.headerTimeout = headerTimeout;
    this.maxConnections = maxConnections;
    this.options = options;
    this.closing = new LingeringClose(clock);
  }

  /**
   * The listener stops: connections still lingering close now, and later ones close at once (see
   * {@link LingeringClose#stop()}).
   */
  void stop() {
    closing.stop();
  }

  /** Connections open now on the public port. */
  int open() {
    return open.get();
  }

  /**
   * Called for each new connection on the event loop that owns it, before it reads its first byte.
   */
  void accept(HttpConnection conn) {
    if (!(conn instanceof VertxConnection vc)) {
      return;
    }
    Channel ch = vc.channel();
    ChannelPipeline p = ch.pipeline();
    if (p.get(DECODER) != null) {
      closing.install(p); // HTTP/1.1 only: HTTP/2 has its own GOAWAY-then-close
    }
    if (open.incrementAndGet() > maxConnections) {
      open.decrementAndGet();
      ChannelHandlerContext below = p.context(DECODER);
      if (below == null) {
        ch.close();
      } else {
        refuse(
            below,
            503,
            "too-many-connections",
            "Service Unavailable",
            "the gateway has reached its connection limit; retry shortly");
      }
      return;
    }
    ch.closeFuture().addListener(f -> open.decrementAndGet());
    if (p.get(DECODER) == null) {
      return; // HTTP/2 over TLS: framing is the HTTP/2 codec's, and streams have their own limits
    }
    HeadClock heads = new HeadClock();
    p.replace(DECODER, DECODER, new StrictRequestDecoder(options));
    p.addBefore(DECODER, HEAD_START, heads.start);
    p.addAfter(DECODER, "medleyHeadEnd", heads.end);
    heads.awaitFirstByte(p.context(HEAD_START));
  }

  /**
   * Times the head of each request: armed when the connection opens and when the first byte of a
   * request arrives after the previous one was read; disarmed when the decoder has the whole head.
   */
  private final class HeadClock {
    /** Between requests (the next byte starts a head), reading a head, or reading a body. */
    private static final int IDLE = 0;

    private static final int HEAD = 1;
    private static final int BODY = 2;
    private int state = IDLE;
    private boolean firstRead = true;
    private Clock.Cancellable timer;

    /**
     * Until the first byte: closes a connection that never sends anything (real time, per
     * connection).
     */
    private io.netty.util.concurrent.ScheduledFuture<?> silent;

    final ChannelInboundHandlerAdapter start =
        new ChannelInboundHandlerAdapter() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b && b.isReadable()) {
              if (firstRead) {
                firstRead = false;
                silent.cancel(false);
                if (isHttp2Preface(b)) {
                  ReferenceCountUtil.release(msg);
                  refuse(
                      ctx,
                      505,
                      "http-version-not-supported",
                      "HTTP Version Not Supported",
                      "this port speaks HTTP/1.1; HTTP/2 is offered through TLS and ALPN only");
                  return;
                }
              }
              if (state == IDLE) {
                state = HEAD;
                ctx.fireChannelRead(msg);
                // A head that arrived whole in this read needs no timer: the usual case costs
                // nothing.
                if (state == HEAD && timer == null) {
                  arm(ctx);
                }
                return;
              }
            }
            ctx.fireChannelRead(msg);
          }
        };

    final ChannelDuplexHandler end =
        new ChannelDuplexHandler() {
          @Override
          public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest req) {
              disarm();
              state = BODY;
              DecoderResult r = req.decoderResult();
              if (r.isFailure() && r.cause() instanceof StrictRequestDecoder.Refused refused) {
                ReferenceCountUtil.release(msg);
                refuse(ctx, refused.status, refused.slug, refused.title, refused.getMessage());
                return;
              }
            } else if (msg instanceof HttpContent c && c.decoderResult().isFailure()) {
              ReferenceCountUtil.release(msg);
              refuse(
                  ctx,
                  400,
                  "malformed-request",
                  "Bad Request",
                  "the chunked request body is malformed (chunk size invalid or too large)");
              return;
            }
            if (msg instanceof LastHttpContent) {
              state = IDLE;
            }
            ctx.fireChannelRead(msg);
          }

          @Override
          public void channelInactive(ChannelHandlerContext ctx) {
            disarm();
            if (silent != null) {
              silent.cancel(false);
            }
            ctx.fireChannelInactive();
          }
        };

    /**
     * A connection that sends nothing gets the same time as a request head, on the event loop's own
     * timer: per connection, not per request, and apart from the injected clock that times heads
     * (so tests that move that clock never race with connections being opened).
     */
    void awaitFirstByte(ChannelHandlerContext ctx) {
      Channel ch = ctx.channel();
      silent =
          ch.eventLoop()
              .schedule(
                  () -> {
                    if (firstRead && ch.isActive()) {
                      refuse(
                          ctx,
                          408,
                          "request-timeout",
                          "Request Timeout",
                          "no request arrived within "
                              + headerTimeout.toMillis()
                              + " ms of connecting");
                    }
                  },
                  headerTimeout.toNanos(),
                  java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** Starts timing a request head that did not arrive whole in one read. */
    void arm(ChannelHandlerContext ctx) {
      disarm();
      Channel ch = ctx.channel();
      timer =
          clock.schedule(
              headerTimeout,
              () ->
                  ch.eventLoop()
                      .execute(
                          () -> {
                            if (state == HEAD && ch.isActive()) {
                              refuse(
                                  ctx,
                                  408,
                                  "request-timeout",
                                  "Request Timeout",
                                  "the request head did not arrive within "
                                      + headerTimeout.toMillis()
                                      + " ms");
                            }
                          }));
    }

    void disarm() {
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
    }
  }

  private static final byte[] PREFACE = "PRI * HTTP/2.0".getBytes(StandardCharsets.US_ASCII);

  /** True when {@code b} starts like the HTTP/2 connection preface (as far as it goes). */
  static boolean isHttp2Preface(ByteBuf b) {
    int n = Math.min(b.readableBytes(), PREFACE.length);
    if (n < 3) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (b.getByte(b.readerIndex() + i) != PREFACE[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes a problem answer from {@code ctx} (a handler below the HTTP encoder, so the bytes go to
   * the socket, through TLS if any, whatever state the codec is in) and closes the connection,
   * lingering (see {@link LingeringClose}): nothing the client sent after it reaches the decoder,
   * and the answer is not lost to a reset. Only used before a response has begun on the connection;
   * a connection already closing is left to its close.
   */
  static void refuse(
      ChannelHandlerContext ctx, int status, String slug, String title, String detail) {
    Channel ch = ctx.channel();
    if (LingeringClose.lingering(ch) || !ch.isActive()) {
      return;
    }
    Reply r = Problem.reply(status, slug, title, detail, null);
    byte[] body = r.body().getBytes();
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + title
            + "\r\n"
            + "content-type: application/problem+json\r\n"
            + "content-length: "
            + body.length
            + "\r\n"
            + "connection: close\r\n\r\n";
    ChannelFuture written =
        ctx.writeAndFlush(Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), body));
    if (ch.pipeline().get(LingeringClose.NAME) != null) {
      ctx.close(); // lingers at once: from now on no byte reaches the decoder
    } else {
      written.addListener(ChannelFutureListener.CLOSE); // TLS: close once the answer is out
    }
  }

  private static final String HEAD_START = "medleyHeadStart";
}
