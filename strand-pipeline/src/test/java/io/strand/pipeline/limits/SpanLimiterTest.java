package io.strand.pipeline.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.model.AttributeValue;
import io.strand.model.AttributeValue.ArrayValue;
import io.strand.model.AttributeValue.BytesValue;
import io.strand.model.AttributeValue.KeyValueListValue;
import io.strand.model.Attributes;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.SpanLink;
import io.strand.model.TraceId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanLimiterTest {

  private static final TraceId TRACE = new TraceId(1, 2);

  private static SpanLimiter limiter(Limit limit, int value) {
    return new SpanLimiter(SpanLimits.of(Map.of(limit, value)));
  }

  private static Span.Builder span() {
    return Span.builder(TRACE, 7).name("op");
  }

  @Test
  void spansWithinEveryLimitPassThroughAsTheSameInstances() {
    List<Span> spans = List.of(span().attributes(Attributes.builder()
        .put("http.route", "/cart").put("n", 3).build()).build());
    SpanLimiter limiter = new SpanLimiter(SpanLimits.defaults());
    assertThat(limiter.apply(spans)).isSameAs(spans);
    for (Limit l : Limit.values()) {
      assertThat(limiter.hits(l)).as(l.key()).isZero();
    }
  }

  @Test
  void tooManySpansRefusesTheRequestNamingTheLimit() {
    SpanLimiter limiter = limiter(Limit.SPANS_PER_REQUEST, 2);
    List<Span> three = List.of(span().build(), span().build(), span().build());
    assertThatThrownBy(() -> limiter.apply(three))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("3 spans")
        .hasMessageContaining("limit of 2")
        .hasMessageContaining("limits.max-spans-per-request");
    assertThat(limiter.hits(Limit.SPANS_PER_REQUEST)).isEqualTo(1);
  }

  @Test
  void extraAttributesAreDroppedAndCountedAsTheSdksDo() {
    Attributes.Builder b = Attributes.builder();
    for (int i = 0; i < 10; i++) {
      b.put("k" + i, i);
    }
    Span limited = limiter(Limit.ATTRIBUTES_PER_SPAN, 4)
        .apply(List.of(span().attributes(b.build()).droppedAttributesCount(2).build())).get(0);
    assertThat(limited.attributes().size()).isEqualTo(4);
    assertThat(limited.attributes().key(3)).isEqualTo("k3");
    assertThat(limited.droppedAttributesCount()).isEqualTo(2 + 6);
  }

  @Test
  void longStringsAndBytesAreTruncatedIncludingInsideArrays() {
    SpanLimiter limiter = limiter(Limit.ATTRIBUTE_VALUE_LENGTH, 5);
    Span limited = limiter.apply(List.of(span().attributes(Attributes.builder()
        .put("s", "abcdefgh")
        .put("b", new BytesValue(new byte[] {1, 2, 3, 4, 5, 6}))
        .put("a", new ArrayValue(List.of(AttributeValue.of("123456789"), AttributeValue.of(1L))))
        .put("short", "abc")
        .build()).build())).get(0);
    assertThat(limited.attributes().getText("s")).isEqualTo("abcde");
    assertThat(((BytesValue) limited.attributes().get("b")).value()).hasSize(5);
    assertThat(limited.attributes().get("a")).isEqualTo(new ArrayValue(
        List.of(AttributeValue.of("12345"), AttributeValue.of(1L))));
    assertThat(limited.attributes().getText("short")).isEqualTo("abc");
    assertThat(limited.droppedAttributesCount()).as("truncation drops nothing").isZero();
    assertThat(limiter.hits(Limit.ATTRIBUTE_VALUE_LENGTH)).isEqualTo(3);
  }

  @Test
  void truncationNeverSplitsASurrogatePair() {
    String smiley = "ab\uD83D\uDE00cd";
    Span limited = limiter(Limit.ATTRIBUTE_VALUE_LENGTH, 3).apply(List.of(span()
        .attributes(Attributes.builder().put("s", smiley).build()).build())).get(0);
    assertThat(limited.attributes().getText("s")).isEqualTo("ab");
  }

  @Test
  void longKeysAndDeepValuesDropTheAttribute() {
    AttributeValue deep = AttributeValue.of("leaf");
    for (int i = 0; i < 4; i++) {
      deep = new ArrayValue(List.of(deep));
    }
    AttributeValue shallow = new KeyValueListValue(Attributes.builder().put("x", 1L).build());
    SpanLimiter limiter = new SpanLimiter(SpanLimits.of(Map.of(
        Limit.ATTRIBUTE_KEY_LENGTH, 8, Limit.ATTRIBUTE_DEPTH, 3)));
    Span limited = limiter.apply(List.of(span().attributes(Attributes.builder()
        .put("a-very-long-key", "v").put("deep", deep).put("shallow", shallow)
        .put("ok", "v").build()).build())).get(0);
    assertThat(limited.attributes().asMap()).containsOnlyKeys("shallow", "ok");
    assertThat(limited.droppedAttributesCount()).isEqualTo(2);
    assertThat(limiter.hits(Limit.ATTRIBUTE_KEY_LENGTH)).isEqualTo(1);
    assertThat(limiter.hits(Limit.ATTRIBUTE_DEPTH)).isEqualTo(1);
  }

  @Test
  void eventsAndLinksOverTheLimitAreDroppedAndCounted() {
    List<SpanEvent> events = new ArrayList<>();
    List<SpanLink> links = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add(new SpanEvent(i, "e" + i, Attributes.EMPTY, 0));
      links.add(new SpanLink(new TraceId(9, i), i + 1, "", Attributes.EMPTY, 0, 0));
    }
    SpanLimiter limiter = new SpanLimiter(SpanLimits.of(Map.of(
        Limit.EVENTS_PER_SPAN, 2, Limit.LINKS_PER_SPAN, 3)));
    Span limited = limiter.apply(List.of(span().events(events).droppedEventsCount(1)
        .links(links).build())).get(0);
    assertThat(limited.events()).extracting(SpanEvent::name).containsExactly("e0", "e1");
    assertThat(limited.droppedEventsCount()).isEqualTo(1 + 3);
    assertThat(limited.links()).hasSize(3);
    assertThat(limited.droppedLinksCount()).isEqualTo(2);
  }

  @Test
  void eventLinkAndResourceAttributesAreLimitedToo() {
    Attributes many = Attributes.builder().put("a", 1L).put("b", 2L).put("c", 3L).build();
    SpanLimiter limiter = limiter(Limit.ATTRIBUTES_PER_SPAN, 2);
    Resource resource = new Resource(many, 0);
    Span limited = limiter.apply(List.of(span()
        .events(List.of(new SpanEvent(1, "e", many, 0)))
        .links(List.of(new SpanLink(new TraceId(9, 9), 1, "", many, 4, 0)))
        .resource(resource).build())).get(0);
    assertThat(limited.events().get(0).attributes().size()).isEqualTo(2);
    assertThat(limited.events().get(0).droppedAttributesCount()).isEqualTo(1);
    assertThat(limited.links().get(0).droppedAttributesCount()).isEqualTo(5);
    assertThat(limited.resource().attributes().size()).isEqualTo(2);
    assertThat(limited.resource().droppedAttributesCount()).isEqualTo(1);
  }

  @Test
  void droppedCountsSaturateInsteadOfOverflowing() {
    Span limited = limiter(Limit.ATTRIBUTES_PER_SPAN, 1).apply(List.of(span()
        .attributes(Attributes.builder().put("a", 1L).put("b", 2L).build())
        .droppedAttributesCount(Integer.MAX_VALUE).build())).get(0);
    assertThat(limited.droppedAttributesCount()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void onlyTheSpansOverALimitAreRebuilt() {
    Span fine = span().attributes(Attributes.builder().put("a", "x").build()).build();
    Span over = span().attributes(Attributes.builder().put("a", "xxxxxxxx").build()).build();
    List<Span> out = limiter(Limit.ATTRIBUTE_VALUE_LENGTH, 4).apply(List.of(fine, over, fine));
    assertThat(out.get(0)).isSameAs(fine);
    assertThat(out.get(1)).isNotSameAs(over);
    assertThat(out.get(2)).isSameAs(fine);
  }

  @Test
  void outOfRangeValuesAreRefusedNamingTheKey() {
    assertThatThrownBy(() -> SpanLimits.of(Map.of(Limit.EVENTS_PER_SPAN, 0)))
        .hasMessageContaining("limits.max-events-per-span");
    assertThatThrownBy(() -> SpanLimits.of(Map.of(Limit.ATTRIBUTE_DEPTH, 33)))
        .hasMessageContaining("at most 32");
    assertThat(SpanLimits.defaults().get(Limit.ATTRIBUTES_PER_SPAN))
        .isEqualTo(SpanLimits.defaultOf(Limit.ATTRIBUTES_PER_SPAN))
        .isGreaterThanOrEqualTo(128);
    assertThat(Collections.frequency(List.of(Limit.values()), null)).isZero();
  }
}
