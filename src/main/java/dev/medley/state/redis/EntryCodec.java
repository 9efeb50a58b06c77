package dev.medley.state.redis;

import dev.medley.cache.CacheEntry;
import dev.medley.time.Clock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A cache entry as bytes in Redis. An entry's times are on one process's monotonic clock, which
 * another replica cannot read, so they travel as offsets from the wall-clock time of writing and
 * are turned back into the reader's monotonic scale (replicas' wall clocks are kept in step by NTP;
 * an entry's age is off by at most their skew).
 */
final class EntryCodec {
  private static final int VERSION = 1;

  private EntryCodec() {}

  static byte[] encode(CacheEntry e, Clock clock) {
    long now = clock.nanoTime();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(e.body().length + 128);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(VERSION);
      out.writeLong(clock.epochMillis());
      out.writeLong(e.generation());
      out.writeLong(e.storedNanos() - now);
      out.writeLong(e.freshUntilNanos() - now);
      out.writeLong(e.revalidateUntilNanos() - now);
      out.writeLong(e.errorUntilNanos() - now);
      nullable(out, e.contentType());
      nullable(out, e.etag());
      out.writeInt(e.tags().size());
      for (String t : e.tags()) {
        out.writeUTF(t);
      }
      out.writeInt(e.body().length);
      out.write(e.body());
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
    return bytes.toByteArray();
  }

  /** The entry, or null when the bytes are not an entry this version wrote. */
  static CacheEntry decode(byte[] b, Clock clock) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
      if (in.readByte() != VERSION) {
        return null;
      }
      long elapsed = Math.max(0, clock.epochMillis() - in.readLong()) * 1_000_000L;
      long base = clock.nanoTime() - elapsed;
      long generation = in.readLong();
      long stored = base + in.readLong();
      long fresh = base + in.readLong();
      long revalidate = base + in.readLong();
      long error = base + in.readLong();
      String type = in.readBoolean() ? in.readUTF() : null;
      String etag = in.readBoolean() ? in.readUTF() : null;
      int n = in.readInt();
      List<String> tags = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        tags.add(in.readUTF());
      }
      byte[] body = new byte[in.readInt()];
      in.readFully(body);
      return new CacheEntry(
          body, type, etag, List.copyOf(tags), generation, stored, fresh, revalidate, error);
    } catch (IOException | RuntimeException x) {
      return null;
    }
  }

  private static void nullable(DataOutputStream out, String s) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) {
      out.writeUTF(s);
    }
  }
}
