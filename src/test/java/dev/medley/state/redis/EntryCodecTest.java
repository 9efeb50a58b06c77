package dev.medley.state.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.medley.cache.CacheEntry;
import dev.medley.time.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cache entries as Redis stores them: every field kept, times carried across replicas' clocks. */
class EntryCodecTest {
  private static final long EPOCH = 1_800_000_000_000L;

  @Test
  void anotherReplicaReadsTheSameLifetimesOnItsOwnMonotonicClock() {
    ManualClock writer = new ManualClock(EPOCH);
    long now = writer.nanoTime();
    CacheEntry e =
        new CacheEntry(
            "{\"id\":7}".getBytes(StandardCharsets.UTF_8),
            "application/json",
            "\"abc\"",
            List.of("product:7", "key:GET /p/7"),
            42,
            now,
            now + 60_000_000_000L,
            now + 90_000_000_000L,
            now + 300_000_000_000L);
    byte[] stored = EntryCodec.encode(e, writer);

    // A replica whose monotonic clock reads 5 hours more, reading 10s of wall time later.
    ManualClock later = new ManualClock(EPOCH - Duration.ofHours(5).toMillis() + 10_000);
    later.advance(Duration.ofHours(5));
    assertThat(later.nanoTime() - writer.nanoTime()).isEqualTo(Duration.ofHours(5).toNanos());
    CacheEntry read = EntryCodec.decode(stored, later);

    long r = later.nanoTime();
    assertThat(read.body()).isEqualTo(e.body());
    assertThat(read.contentType()).isEqualTo("application/json");
    assertThat(read.etag()).isEqualTo("\"abc\"");
    assertThat(read.tags()).containsExactly("product:7", "key:GET /p/7");
    assertThat(read.generation()).isEqualTo(42);
    assertThat(read.ageSeconds(r)).isEqualTo(10);
    assertThat(read.freshUntilNanos() - r).isEqualTo(50_000_000_000L);
    assertThat(read.revalidateUntilNanos() - r).isEqualTo(80_000_000_000L);
    assertThat(read.errorUntilNanos() - r).isEqualTo(290_000_000_000L);
  }

  @Test
  void bytesThatAreNotAnEntryReadAsAMiss() {
    ManualClock clock = new ManualClock(EPOCH);
    assertThat(EntryCodec.decode(new byte[] {9, 1, 2}, clock)).isNull();
    assertThat(EntryCodec.decode(new byte[0], clock)).isNull();
    assertThat(EntryCodec.decode("OK".getBytes(StandardCharsets.UTF_8), clock)).isNull();
  }
}
