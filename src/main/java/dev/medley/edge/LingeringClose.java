package dev.medley.edge;

import dev.medley.time.Clock;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How the public listener closes an HTTP/1.1 connection after its last answer (draining after
 * SIGTERM, a refused request, a client's {@code Connection: close}): lingering, as nginx does. A
 * plain close while the client's next request still sits unread in the kernel makes Linux send a
 * reset instead of a FIN, and a reset can destroy the answer before the client has read it. So
 * instead the write side is shut (FIN) once the answer is flushed, and whatever the client still
 * sends is read and dropped by a {@link Linger} at the head of the pipeline (never decoded, never
 * run) until the client closes, {@link #QUIET} passes without input, {@link #TOTAL} passes in all,
 * or more than {@link #MAX_BYTES} arrive: whichever comes first, on the injected clock. The
 * connection stays open, and counted against {@code maxConnections}, until then.
 *
 * <p>It intercepts the channel's {@code close} below Vert.x's HTTP/1.1 connection, which closes
 * through the pipeline whatever the reason; it overrides nothing else, so writes and reads of
 * ordinary keep-alive answers never pass through it. Shared by every connection of a listener.
 * Cleartext only: a TLS connection closes as before (its FIN would have to follow a close_notify).
 */
@ChannelHandler.Sharable
final class LingeringClose extends ChannelOutboundHandlerAdapter {
  static final String NAME = "medleyLingeringClose";

  /** Closes once the client has sent nothing for this long. */
  static final Duration QUIET = Duration.ofSeconds(2);

  /** Closes this long after the answer at the latest, however the client behaves. */
  static final Duration TOTAL = Duration.ofSeconds(5);

  /** Closes once the client has sent more than this after the answer (it is not listening). */
  static final long MAX_BYTES = 64 * 1024;

  private static final String DROP = "medleyDropDecoded";

  private static final ChannelHandler DROP_DECODED = new DropDecoded();

  private final Clock clock;
  private final Set<Channel> lingering = ConcurrentHashMap.newKeySet();

  /** Set when the listener stops: connections close at once, lingering ones included. */
  private volatile boolean stopped;

  LingeringClose(Clock clock) {
    this.clock = clock;
  }

  /** Adds the close handler to a cleartext HTTP/1.1 connection, first in its pipeline. */
  void install(ChannelPipeline p) {
    if (p.channel() instanceof DuplexChannel
        && p.get(io.netty.handler.ssl.SslHandler.class) == null) {
      p.addFirst(NAME, this);
    }
  }

  /** True while the connection is half-closed, waiting for its client. */
  static boolean lingering(Channel ch) {
    return ch.pipeline().get(Linger.class) != null;
  }

  /**
   * The listener stops (its shutdown grace is over, or it stops without one): every lingering
   * connection closes now, and later closes do not linger, so a client that never closes cannot
   * hold the shutdown beyond its grace.
   */
  void stop() {
    stopped = true;
    for (Channel ch : lingering) {
      try {
        ch.eventLoop().execute(() -> Linger.closeNow(ch));
      } catch (java.util.concurrent.RejectedExecutionException loopStopped) {
        // Its event loop is shutting down, and closes every channel it still has.
      }
    }
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    Channel ch = ctx.channel();
    if (stopped || !ch.isActive() || lingering(ch)) {
      // Closing a lingering connection again (a timeout of ours, an idle timeout) is final.
      ctx.close(promise);
      return;
    }
    Linger linger = new Linger(clock);
    ChannelPipeline p = ch.pipeline();
    p.addFirst(Linger.NAME, linger);
    if (p.get(ConnectionGuard.DECODER) != null && p.get(DROP) == null) {
      // A request already read but not yet decoded (bytes of the same read as the last one) is
      // dropped too: a close Medley asks for in mid-request (a 413) must not let it run.
      p.addAfter(ConnectionGuard.DECODER, DROP, DROP_DECODED);
    }
    ch.closeFuture().addListener(f -> promise.trySuccess());
    lingering.add(ch);
    ch.closeFuture().addListener(f -> lingering.remove(ch));
    if (stopped) {
      // stop() ran between the check above and the add: it may not have seen this channel.
      Linger.closeNow(ch);
      return;
    }
    // Everything written before the close goes out first; shutting the output of a channel with
    // writes pending would fail them.
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(
            written -> {
              if (!written.isSuccess() || !ch.isActive()) {
                Linger.closeNow(ch);
                return;
              }
              ((DuplexChannel) ch)
                  .shutdownOutput()
                  .addListener(
                      shut -> {
                        if (shut.isSuccess()) {
                          linger.start(ch);
                        } else {
                          Linger.closeNow(ch);
                        }
                      });
            });
  }

  /**
   * The connection will close after the request being read now (a 413): the rest of that request
   * still reaches Vert.x, so its end is seen and the close follows, but any request decoded behind
   * it is dropped at once. Vert.x's close does not stop a decoder in the middle of a read, and a
   * read that holds the end of the body and the next request (io_uring reads whole, epoll may)
   * would otherwise run that request. Idempotent; a no-op on a connection without the HTTP/1.1
   * decoder.
   */
  static void endAfterCurrentRequest(Channel ch, boolean currentEnded) {
    ChannelPipeline p = ch.pipeline();
    if (p.get(ConnectionGuard.DECODER) != null && p.get(DROP) == null) {
      p.addAfter(
          ConnectionGuard.DECODER, DROP, currentEnded ? DROP_DECODED : new DropAfterCurrent());
    }
  }

  /** Passes the current request's remaining body through, then drops everything decoded. */
  private static final class DropAfterCurrent
      extends io.netty.channel.ChannelInboundHandlerAdapter {
    private boolean ended;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (ended || msg instanceof io.netty.handler.codec.http.HttpRequest) {
        io.netty.util.ReferenceCountUtil.release(msg);
        return;
      }
      ended = msg instanceof io.netty.handler.codec.http.LastHttpContent;
      ctx.fireChannelRead(msg);
    }
  }

  /** Releases whatever the decoder still produces on a closing connection. */
  @ChannelHandler.Sharable
  private static final class DropDecoded extends io.netty.channel.ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      io.netty.util.ReferenceCountUtil.release(msg);
    }
  }
}
