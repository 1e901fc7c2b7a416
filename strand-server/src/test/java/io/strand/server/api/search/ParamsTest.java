package io.strand.server.api.search;

import static io.strand.server.api.search.TestSpans.params;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParamsTest {

  @Test
  void blankValuesCountAsAbsent() {
    assertThat(Params.text(params("spanName", ""), "spanName")).isNull();
    assertThat(Params.text(params("spanName", "  "), "spanName")).isNull();
    assertThat(Params.text(params(), "spanName")).isNull();
    assertThat(Params.text(params("spanName", "get"), "spanName")).isEqualTo("get");
    assertThat(Params.wholeNumber(params("minDuration", ""), "minDuration", 7, 0)).isEqualTo(7);
  }

  @Test
  void badValuesNameTheParameter() {
    assertThatThrownBy(() -> Params.required(params(), "serviceName"))
        .isInstanceOf(BadParameterException.class).hasMessage("serviceName is required");
    assertThatThrownBy(() -> Params.wholeNumber(params("endTs", "soon"), "endTs", 0, 1))
        .hasMessage("endTs must be a whole number, got 'soon'")
        .extracting(e -> ((BadParameterException) e).parameter()).isEqualTo("endTs");
    assertThatThrownBy(() -> Params.wholeNumber(params("lookback", "0"), "lookback", 0, 1))
        .hasMessage("lookback must be at least 1, got 0");
    assertThatThrownBy(() -> Params.limit(params("limit", "-3"), "limit", 10))
        .hasMessage("limit must be at least 1, got -3");
    assertThatThrownBy(() -> Params.scale("minDuration", Long.MAX_VALUE / 10, 1000))
        .hasMessageStartingWith("minDuration is too large");
  }

  @Test
  void limitsAreCapped() {
    assertThat(Params.limit(params(), "limit", 10)).isEqualTo(10);
    assertThat(Params.limit(params("limit", "5"), "limit", 10)).isEqualTo(5);
    assertThat(Params.limit(params("limit", "1000000"), "limit", 10))
        .isEqualTo(TraceFinder.MAX_LIMIT);
  }

  @Test
  void namesResolveToEveryStoredSpellingExactFirst() {
    List<String> stored = List.of("GET /Cart", "get /cart", "GET /CART", "POST /cart");
    assertThat(NameMatch.storedSpellings(stored, "get /cart"))
        .containsExactly("get /cart", "GET /Cart", "GET /CART");
    assertThat(NameMatch.storedSpellings(stored, "Get /Cart"))
        .containsExactly("GET /Cart", "get /cart", "GET /CART");
    assertThat(NameMatch.storedSpellings(stored, "delete")).isEmpty();
  }
}
