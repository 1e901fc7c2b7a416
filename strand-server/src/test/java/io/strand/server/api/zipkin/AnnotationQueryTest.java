package io.strand.server.api.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.server.api.search.BadParameterException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnnotationQueryTest {

  @Test
  void splitsTermsIntoTagEqualitiesAndBareWords() {
    AnnotationQuery q = AnnotationQuery.parse("http.method=GET and retried and  error and a=b=c");
    assertThat(q.tags()).containsExactly(Map.entry("http.method", "GET"), Map.entry("a", "b=c"));
    assertThat(q.words()).containsExactly("retried", "error");
  }

  @Test
  void emptyMeansNoConditions() {
    assertThat(AnnotationQuery.parse(null)).isEqualTo(AnnotationQuery.NONE);
    assertThat(AnnotationQuery.parse("  ")).isEqualTo(AnnotationQuery.NONE);
  }

  @Test
  void valuesMayContainSpacesButNotTheWordAnd() {
    AnnotationQuery q = AnnotationQuery.parse("http.route=/cart/{id} and db.statement=select 1");
    assertThat(q.tags()).containsEntry("db.statement", "select 1")
        .containsEntry("http.route", "/cart/{id}");
  }

  @Test
  void refusesTermsWithoutKeysAndContradictions() {
    assertThatThrownBy(() -> AnnotationQuery.parse("=GET"))
        .isInstanceOf(BadParameterException.class)
        .hasMessage("annotationQuery term '=GET' has no key before '='");
    assertThatThrownBy(() -> AnnotationQuery.parse("k=1 and k=2"))
        .hasMessageContaining("annotationQuery asks for k=1 and k=2");
    assertThat(AnnotationQuery.parse("k=1 and k=1").tags()).containsOnly(Map.entry("k", "1"));
  }
}
