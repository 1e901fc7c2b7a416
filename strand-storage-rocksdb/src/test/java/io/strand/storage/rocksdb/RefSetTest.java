package io.strand.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RefSetTest {

  @Test
  void aRefIsTheBucketAndTheFirstTraceIdByte() {
    long high = 0xAB00_0000_0000_0001L;
    assertThat(RefSet.ref(1_999_999, high)).isEqualTo(RefSet.ref(1_000_000, high));
    assertThat(RefSet.ref(2_000_000, high)).isNotEqualTo(RefSet.ref(1_999_999, high));
    assertThat(RefSet.ref(1_000_000, 0xAC00_0000_0000_0001L))
        .isNotEqualTo(RefSet.ref(1_000_000, high));
    // Negative and extreme starts keep bucket and byte apart.
    assertThat(RefSet.ref(-1, 0xFF00_0000_0000_0000L)).isNotEqualTo(RefSet.ref(-1_000_001, 0xFFL));
    assertThat(RefSet.ref(Long.MIN_VALUE, -1L)).isNotEqualTo(RefSet.ref(Long.MAX_VALUE, -1L));
  }

  @Test
  void eachEntryIsAddedOnceAcrossGrowth() {
    RefSet set = new RefSet(1);
    Set<String> expected = new HashSet<>();
    for (int round = 0; round < 2; round++) {
      for (int term = 0; term < 50; term++) {
        for (long ref = -200; ref < 200; ref += 3) {
          assertThat(set.add(term, ref)).isEqualTo(expected.add(term + "/" + ref));
        }
      }
    }
    assertThat(expected).hasSize(50 * 134);
  }
}
