package dev.medley.upstream.http1;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
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

  private Http1Connection(LoopPool pool) {
    this.pool = pool;
  }

  /** Sets up each new channel: the HTTP/1.1 codec, an idle timer and this handler. */
  static final class Initializer extends ChannelInitializer<Channel> {
    private final LoopPool pool;
    private final int keepAliveSeconds;

    Initializer(LoopPool pool, int keepAliveSeconds) {
      this.pool = pool;
      this.keepAliveSeconds = keepAliveSeconds;
    }

    @Override
    protected void initChannel(Channel ch) {
      // Limits as Vert.x's client: 4 KiB status line, 8 KiB of headers.
      HttpDecoderConfig decoder = new HttpDecoderConfig().setMaxInitialLineLength(4096).setMaxHeaderSize(8192);
      ch.pipeline().addLast(new HttpClientCodec(decoder, false, false));
      if (keepAliveSeconds > 0) {
        ch.pipeline().addLast(new IdleStateHandler(0, 0, keepAliveSeconds));
      }
      Http1Connection c = new Http1Connection(pool);
      c.channel = ch;
      ch.pipeline().addLast(c);
    }
  }

  Channel channel() {
    return channel;
  }

  void send(Http1Exchange x) {
    current = x;
    interim = false;
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
          pool.release(this, x.keepAlive()); // first: the completion below may already want a connection
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

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent && current == null) {
      ctx.close(); // idle past the keep-alive timeout
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }
}
