package io.strand.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.strand.model.AttributeValue;
import io.strand.storage.rocksdb.AttributeTerms.Term;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttributeTermsTest {

  private static final String LONG = "y".repeat(AttributeTerms.MAX_TEXT_BYTES + 1);

  @Test
  void aStoredValueAndAnEqualCriterionShareATerm() {
    for (AttributeValue v : List.of(AttributeValue.of(503L), AttributeValue.of(true),
        AttributeValue.of(0.25), AttributeValue.of("GET"), AttributeValue.of(LONG),
        new AttributeValue.BytesValue(new byte[] {0x1f, (byte) 0x90}),
        new AttributeValue.ArrayValue(List.of(AttributeValue.of("a"))))) {
      assertThat(AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k", v.asText()))
          .isEqualTo(AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k", String.valueOf(v.asText())));
    }
    assertThat(AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k", AttributeValue.of(503L).asText()))
        .isEqualTo(AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k", "503"));
  }

  @Test
  void longKeysAndValuesAreHashedToNineBytes() {
    String fits = "z".repeat(AttributeTerms.MAX_TEXT_BYTES);
    assertThat(AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k", fits).bytes()).hasSize(1 + 2 + 64 + 1);
    byte[] hashed = AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k", LONG).bytes();
    assertThat(hashed).hasSize(1 + 2 + 9 + 1);
    assertThat(hashed[3]).isEqualTo((byte) 0xFF);
    // Multi-byte characters count in bytes: 33 of them are 66 bytes.
    assertThat(AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k", "\u00e9".repeat(33)).bytes())
        .hasSize(1 + 2 + 9 + 1);
    assertThat(AttributeTerms.of(Keys.SPAN_ATTRIBUTE, LONG, "v").bytes()).hasSize(1 + 10 + 2);
    assertThat(AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k", LONG))
        .isNotEqualTo(AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k", LONG + "!"));
  }

  @Test
  void noTermIsAPrefixOfAnother() {
    String[] texts = {"", "a", "ab", "a\u0000b", "\u00ff", LONG, LONG + "x", "x" + LONG};
    List<byte[]> terms = new ArrayList<>();
    for (String key : texts) {
      for (String value : texts) {
        terms.add(AttributeTerms.of(Keys.SPAN_ATTRIBUTE, key, value).bytes());
      }
    }
    for (int i = 0; i < terms.size(); i++) {
      for (int j = 0; j < terms.size(); j++) {
        if (i != j) {
          assertThat(Keys.startsWith(terms.get(j), terms.get(i)))
              .as("%s prefixes %s", Arrays.toString(terms.get(i)),
                  Arrays.toString(terms.get(j)))
              .isFalse();
        }
      }
    }
  }

  @Test
  void aTermMovesBetweenTablesByItsTag() {
    Term term = AttributeTerms.of(Keys.SPAN_ATTRIBUTE, "k", "v");
    byte[] resource = term.as(Keys.RESOURCE_ATTRIBUTE);
    assertThat(resource[0]).isEqualTo(Keys.RESOURCE_ATTRIBUTE);
    assertThat(Arrays.copyOfRange(resource, 1, resource.length))
        .isEqualTo(Arrays.copyOfRange(term.bytes(), 1, term.bytes().length));
    assertThat(term.bytes()[0]).isEqualTo(Keys.SPAN_ATTRIBUTE);
  }
}
