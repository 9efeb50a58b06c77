package dev.medley.edge;

import dev.medley.time.Clock;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;

/**
 * One connection's lingering close (see {@link LingeringClose}): first in the pipeline, it drops
 * every byte the client sends once the gateway has decided to close, so nothing reaches the
 * decoder, and closes the connection when the client closes, when it has been quiet for {@link
 * LingeringClose#QUIET}, {@link LingeringClose#TOTAL} after the close began, or past {@link
 * LingeringClose#MAX_BYTES}. A single timer on the injected clock: input only records its time, and
 * the timer, when due, closes or looks again at the earlier of the two deadlines.
 */
final class Linger extends ChannelInboundHandlerAdapter {
  static final String NAME = "medleyLinger";

  private final Clock clock;
  private final long started;
  private long lastInput;
  private long bytes;
  private Clock.Cancellable timer;

  Linger(Clock clock) {
    this.clock = clock;
    this.started = clock.nanoTime();
    this.lastInput = started;
  }

  /** Closes {@code ch} for good, from the head of its pipeline: it does not linger again. */
  static void closeNow(Channel ch) {
    ChannelHandlerContext ctx = ch.pipeline().context(NAME);
    if (ctx != null) {
      ctx.close();
    } else {
      ch.close();
    }
  }

  /** The write side is shut: read whatever comes (even if reading was paused) and start timing. */
  void start(Channel ch) {
    ch.config().setAutoRead(true);
    ch.read();
    schedule(ch, clock.nanoTime());
  }

  private void schedule(Channel ch, long now) {
    long due =
        Math.min(
            lastInput + LingeringClose.QUIET.toNanos(), started + LingeringClose.TOTAL.toNanos());
    timer =
        clock.schedule(
            java.time.Duration.ofNanos(Math.max(0, due - now)),
            () -> ch.eventLoop().execute(() -> check(ch)));
  }

  private void check(Channel ch) {
    timer = null;
    if (!ch.isActive()) {
      return;
    }
    long now = clock.nanoTime();
    if (now - lastInput >= LingeringClose.QUIET.toNanos()
        || now - started >= LingeringClose.TOTAL.toNanos()) {
      closeNow(ch);
    } else {
      schedule(ch, now);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf b) {
      bytes += b.readableBytes();
    }
    ReferenceCountUtil.release(msg);
    lastInput = clock.nanoTime();
    if (bytes > LingeringClose.MAX_BYTES) {
      ctx.close();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      ctx.close(); // the client has finished sending (its FIN): the answer is read or abandoned
    } else if (!(evt instanceof ChannelInputShutdownReadComplete)) {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof java.io.IOException) {
      ctx.close(); // typically the client's reset: nothing more to wait for, nor worth a log line
    }
    // Anything else comes from the connection being closed above: the linger goes on.
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    ctx.fireChannelInactive();
  }
}
