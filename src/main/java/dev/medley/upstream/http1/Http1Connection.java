package dev.medley.upstream.http1;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * One kept-alive connection: carries one exchange at a time (no pipelining), hands itself back to
 * its pool after each complete answer, and turns every way a connection can break (reset, close
 * mid-answer, bytes that are not HTTP) into a failed exchange.
 */
final class Http1Connection extends ChannelInboundHandlerAdapter {
  private final LoopPool pool;
  private Channel channel;
  private Http1Exchange current;

  /** Inside a 1xx interim answer, which precedes the real one. */
  private boolean interim;

  private final Decoder decoder = new Decoder();

  /** The request in flight is a HEAD. */
  private boolean head;

  /** When the connection went back to the pool, on the pool's clock ({@link System#nanoTime()}). */
  private long idleSince;

  private Http1Connection(LoopPool pool) {
    this.pool = pool;
  }

  /**
   * Sets up each new channel: response decoder, request encoder, this handler. Not Netty's {@code
   * HttpClientCodec} (one more handler hop per event, and a queue of request methods) nor an {@code
   * IdleStateHandler} (a promise and a listener per write): the connection knows which request is
   * in flight, and the pool closes connections left idle.
   */
  static final class Initializer extends ChannelInitializer<Channel> {
    private final LoopPool pool;

    Initializer(LoopPool pool) {
      this.pool = pool;
    }

    @Override
    protected void initChannel(Channel ch) {
      Http1Connection c = new Http1Connection(pool);
      c.channel = ch;
      ch.pipeline().addLast(c.decoder, new HttpRequestEncoder(), c);
    }
  }

  /**
   * Limits as Vert.x's client: 4 KiB status line, 8 KiB of headers. An answer to HEAD has no body.
   */
  private final class Decoder extends HttpResponseDecoder {
    Decoder() {
      super(new HttpDecoderConfig().setMaxInitialLineLength(4096).setMaxHeaderSize(8192));
    }

    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
      return head || super.isContentAlwaysEmpty(msg);
    }
  }

  long idleSince() {
    return idleSince;
  }

  void idleNow() {
    idleSince = System.nanoTime();
  }

  Channel channel() {
    return channel;
  }

  void send(Http1Exchange x) {
    current = x;
    interim = false;
    head = x.request().method() == HttpMethod.HEAD;
    // A failed write surfaces as exceptionCaught or channelInactive, which fail the exchange.
    channel.writeAndFlush(x.request(), channel.voidPromise());
  }

  /** The exchange gave up (timeout, size): the connection is mid-answer, so it is closed. */
  void abort(Http1Exchange x) {
    if (current == x) {
      current = null;
      channel.close();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      Http1Exchange x = current;
      if (x == null) {
        ctx.close(); // bytes nobody asked for: the connection cannot be trusted with the next call
        return;
      }
      if (msg instanceof HttpResponse r) {
        if (r.decoderResult().isFailure()) {
          broken(x);
          return;
        }
        interim = r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        if (!interim && !x.head(r)) {
          return;
        }
      }
      if (msg instanceof HttpContent c) {
        if (c.decoderResult().isFailure()) {
          broken(x);
          return;
        }
        if (interim) {
          interim = !(msg instanceof LastHttpContent);
          return;
        }
        if (!x.append(c.content())) {
          return;
        }
        if (msg instanceof LastHttpContent) {
          current = null;
          pool.release(
              this, x.keepAlive()); // first: the completion below may already want a connection
          x.complete();
        }
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void broken(Http1Exchange x) {
    current = null;
    channel.close();
    x.failBroken();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Http1Exchange x = current;
    current = null;
    pool.closed(this);
    if (x != null) {
      x.failBroken();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    Http1Exchange x = current;
    current = null;
    ctx.close();
    if (x != null) {
      x.failBroken();
    }
  }
}
