package io.strand.codec.otlp;

import static io.strand.codec.otlp.OtlpFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strand.codec.CodecException;
import io.strand.codec.DecodedBatch;
import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import io.strand.model.InstrumentationScope;
import io.strand.model.Resource;
import io.strand.model.Span;
import io.strand.model.SpanId;
import io.strand.model.SpanKind;
import io.strand.model.StatusCode;
import io.strand.model.TraceId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtlpJsonDecoderTest {

  private final OtlpJsonDecoder decoder = new OtlpJsonDecoder();

  @Test
  void handWrittenJsonEqualsTheProtobufRequest() {
    List<Span> fromProto = new OtlpProtoDecoder().decode(richRequest().toByteArray()).spans();

    DecodedBatch fromJson = decoder.decode(resource("rich-request.json"));

    assertThat(fromJson.rejectedSpans()).isZero();
    assertThat(fromJson.spans()).hasSize(4).isEqualTo(fromProto);
  }

  @Test
  void sharesOneResourcePerResourceSpansAndOneScopePerScopeSpans() {
    List<Span> spans = decoder.decode(resource("rich-request.json")).spans();

    assertThat(spans.get(0).resource())
        .isSameAs(spans.get(1).resource())
        .isSameAs(spans.get(2).resource());
    assertThat(spans.get(0).scope()).isSameAs(spans.get(1).scope());
    assertThat(spans.get(3).serviceName()).isEqualTo("payments");
  }

  @Test
  void resourceAndScopeAfterTheSpansStillApplyAndAreShared() {
    String json = """
        {"resourceSpans":[{
          "scopeSpans":[{
            "spans":[%s,%s],
            "scope":{"name":"late-scope"}
          }],
          "resource":{"attributes":[{"key":"service.name","value":{"stringValue":"late"}}]}
        }]}""".formatted(span(SPAN_A, ""), span(SPAN_B, ""));

    List<Span> spans = decode(json).spans();

    assertThat(spans).hasSize(2);
    assertThat(spans.get(0).serviceName()).isEqualTo("late");
    assertThat(spans.get(0).scope().name()).isEqualTo("late-scope");
    assertThat(spans.get(0).resource()).isSameAs(spans.get(1).resource());
    assertThat(spans.get(0).scope()).isSameAs(spans.get(1).scope());
  }

  @Test
  void acceptsSnakeCaseNamesEnumNamesAndNumbersForInt64() {
    String json = """
        {"resource_spans":[{"resource":{"attributes":[],"dropped_attributes_count":"2"},
          "scope_spans":[{"scope":{"name":"s","dropped_attributes_count":1},"spans":[{
            "trace_id":"0102030405060708090A0B0C0D0E0F10",
            "span_id":"1112131415161718",
            "parent_span_id":"2122232425262728",
            "trace_state":"t=1",
            "kind":"SPAN_KIND_PRODUCER",
            "start_time_unix_nano":1700000000000000001,
            "end_time_unix_nano":"1700000000000000002",
            "dropped_attributes_count":1,
            "dropped_events_count":"2",
            "dropped_links_count":3,
            "attributes":[
              {"key":"i","value":{"int_value":12345678901234}},
              {"key":"d","value":{"double_value":"1.5"}},
              {"key":"b","value":{"bool_value":"true"}},
              {"key":"s","value":{"string_value":"x"}},
              {"key":"a","value":{"array_value":{"values":[{"int_value":"1"}]}}},
              {"key":"m","value":{"kvlist_value":{"values":[
                {"key":"k","value":{"bytes_value":"AQI="}}]}}}
            ],
            "events":[{"time_unix_nano":5,"name":"e","dropped_attributes_count":1}],
            "links":[{"trace_id":"0f0e0d0c0b0a09080706050403020100","span_id":"6162636465666768",
                      "trace_state":"l=1","flags":1,"dropped_attributes_count":2}],
            "status":{"code":"STATUS_CODE_ERROR","message":"bad"}
          }]}]}]}""";

    Span span = decode(json).spans().get(0);

    assertThat(span.traceId()).isEqualTo(TraceId.fromHex(TRACE_A));
    assertThat(span.parentSpanId()).isEqualTo(SpanId.fromHex(PARENT_A, "p"));
    assertThat(span.traceState()).isEqualTo("t=1");
    assertThat(span.kind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(span.startTimeUnixNano()).isEqualTo(1_700_000_000_000_000_001L);
    assertThat(span.endTimeUnixNano()).isEqualTo(1_700_000_000_000_000_002L);
    assertThat(span.droppedAttributesCount()).isEqualTo(1);
    assertThat(span.droppedEventsCount()).isEqualTo(2);
    assertThat(span.droppedLinksCount()).isEqualTo(3);
    assertThat(span.statusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.statusMessage()).isEqualTo("bad");
    assertThat(span.attributes()).isEqualTo(Attributes.builder()
        .put("i", 12_345_678_901_234L)
        .put("d", 1.5)
        .put("b", true)
        .put("s", "x")
        .put("a", new AttributeValue.ArrayValue(List.of(AttributeValue.of(1L))))
        .put("m", new AttributeValue.KeyValueListValue(Attributes.builder()
            .put("k", new AttributeValue.BytesValue(new byte[] {1, 2})).build()))
        .build());
    assertThat(span.events().get(0).timeUnixNano()).isEqualTo(5);
    assertThat(span.events().get(0).droppedAttributesCount()).isEqualTo(1);
    assertThat(span.links().get(0).traceState()).isEqualTo("l=1");
    assertThat(span.links().get(0).flags()).isEqualTo(1);
    assertThat(span.links().get(0).droppedAttributesCount()).isEqualTo(2);
    assertThat(span.resource().droppedAttributesCount()).isEqualTo(2);
    assertThat(span.scope().droppedAttributesCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @CsvSource({
      "'\"SPAN_KIND_UNSPECIFIED\"', UNSPECIFIED",
      "'\"SPAN_KIND_INTERNAL\"', INTERNAL",
      "'\"SPAN_KIND_SERVER\"', SERVER",
      "'\"SPAN_KIND_CLIENT\"', CLIENT",
      "'\"SPAN_KIND_PRODUCER\"', PRODUCER",
      "'\"SPAN_KIND_CONSUMER\"', CONSUMER",
      "'\"SERVER\"', SERVER",
      "'4', PRODUCER",
      "'99', UNSPECIFIED",
      "'\"SPAN_KIND_BOGUS\"', UNSPECIFIED",
      "'null', UNSPECIFIED"})
  void spanKindAsNumberOrName(String kind, SpanKind expected) {
    String json = request(span(SPAN_A, ",\"kind\":" + kind));

    assertThat(decode(json).spans().get(0).kind()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({
      "'\"STATUS_CODE_UNSET\"', UNSET",
      "'\"STATUS_CODE_OK\"', OK",
      "'\"STATUS_CODE_ERROR\"', ERROR",
      "'1', OK",
      "'2', ERROR"})
  void statusCodeAsNumberOrName(String code, StatusCode expected) {
    String json = request(span(SPAN_A, ",\"status\":{\"code\":" + code + "}"));

    assertThat(decode(json).spans().get(0).statusCode()).isEqualTo(expected);
  }

  @Test
  void decodesBase64BytesInBothAlphabetsWithOrWithoutPadding() {
    String json = request(span(SPAN_A, """
        ,"attributes":[
          {"key":"std","value":{"bytesValue":"+/8="}},
          {"key":"url","value":{"bytesValue":"-_8"}},
          {"key":"empty","value":{"bytesValue":""}}]"""));

    Attributes attrs = decode(json).spans().get(0).attributes();

    byte[] expected = {(byte) 0xfb, (byte) 0xff};
    assertThat(attrs.get("std")).isEqualTo(new AttributeValue.BytesValue(expected));
    assertThat(attrs.get("url")).isEqualTo(new AttributeValue.BytesValue(expected));
    assertThat(attrs.get("empty")).isEqualTo(new AttributeValue.BytesValue(new byte[0]));
  }

  @Test
  void specialDoublesAndNullsAndUnknownFields() {
    String json = """
        {"unknownTop":{"x":[1,2,{"y":null}]},"resourceSpans":[{"resource":null,"scopeSpans":[
          {"scope":null,"somethingNew":true,"spans":[{
            "traceId":"0102030405060708090a0b0c0d0e0f10","spanId":"1112131415161718",
            "parentSpanId":null,"name":null,"newField":{"nested":[true]},
            "events":null,"links":null,"status":null,
            "attributes":[
              {"key":"nan","value":{"doubleValue":"NaN"}},
              {"key":"inf","value":{"doubleValue":"Infinity"}},
              {"key":"ninf","value":{"doubleValue":"-Infinity"}},
              {"key":"int","value":{"doubleValue":3}},
              {"key":"unset","value":{}},
              {"key":"nullValue","value":null},
              {"key":"nullString","value":{"stringValue":null}},
              {"key":"extra","value":{"futureValue":1,"stringValue":"kept"}}
            ]}]}]}]}""";

    Span span = decode(json).spans().get(0);

    assertThat(span.isRoot()).isTrue();
    assertThat(span.name()).isEmpty();
    assertThat(span.resource()).isSameAs(Resource.EMPTY);
    assertThat(span.scope()).isSameAs(InstrumentationScope.EMPTY);
    assertThat(span.attributes().asMap()).containsOnlyKeys("nan", "inf", "ninf", "int", "extra");
    assertThat(span.attributes().get("nan")).isEqualTo(AttributeValue.of(Double.NaN));
    assertThat(span.attributes().get("inf")).isEqualTo(AttributeValue.of(Double.POSITIVE_INFINITY));
    assertThat(span.attributes().get("ninf"))
        .isEqualTo(AttributeValue.of(Double.NEGATIVE_INFINITY));
    assertThat(span.attributes().get("int")).isEqualTo(AttributeValue.of(3.0));
    assertThat(span.attributes().get("extra")).isEqualTo(AttributeValue.of("kept"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "\"traceId\":\"0102\",\"spanId\":\"1112131415161718\"                  |"
          + " traceId must be 32 hex digits, got 4 characters",
      "\"spanId\":\"1112131415161718\"                                       |"
          + " traceId must be 32 hex digits, got 0 characters",
      "\"traceId\":\"00000000000000000000000000000000\",\"spanId\":\"1112131415161718\" |"
          + " traceId must not be all zeros",
      "\"traceId\":\"AQIDBAUGBwgJCgsMDQ4PEA==\",\"spanId\":\"1112131415161718\" |"
          + " traceId must be 32 hex digits, got 24 characters",
      "\"traceId\":\"0102030405060708090a0b0c0d0e0f1g\",\"spanId\":\"1112131415161718\" |"
          + " traceId has a non-hex character 'g' at position 31",
      "\"traceId\":\"0102030405060708090a0b0c0d0e0f10\",\"spanId\":\"11121314\"  |"
          + " spanId must be 16 hex digits, got 8 characters",
      "\"traceId\":\"0102030405060708090a0b0c0d0e0f10\"                      |"
          + " spanId must be 16 hex digits, got 0 characters",
      "\"traceId\":\"0102030405060708090a0b0c0d0e0f10\",\"spanId\":\"0000000000000000\" |"
          + " spanId must not be all zeros",
      "\"traceId\":\"0102030405060708090a0b0c0d0e0f10\",\"spanId\":42          |"
          + " spanId must be a hex string",
      "\"spanId\":\"1112131415161718\",\"traceId\":\"0102030405060708090a0b0c0d0e0f10\","
          + "\"parentSpanId\":\"2122\" | parentSpanId must be 16 hex digits, got 4 characters",
      "\"traceId\":\"0102030405060708090a0b0c0d0e0f10\",\"spanId\":\"1112131415161718\","
          + "\"parentSpanId\":\"0000000000000000\" | parentSpanId must not be all zeros"})
  void rejectsSpansWithInvalidIdsAndKeepsTheOthers(String idFields, String expectedError) {
    String bad = "{" + idFields
        + ",\"name\":\"bad\",\"attributes\":[{\"key\":\"k\",\"value\":{\"stringValue\":\"v\"}}]}";
    String json = """
        {"resourceSpans":[{"scopeSpans":[
          {"spans":[%s]},
          {"spans":[%s,%s,%s,%s]}]}]}""".formatted(
        span(SPAN_A, ""), span(SPAN_B, ""), bad, span(SPAN_C, ""), bad);

    DecodedBatch batch = decode(json);

    assertThat(batch.spans()).extracting(Span::name).containsExactly("op", "op", "op");
    assertThat(batch.rejectedSpans()).isEqualTo(2);
    assertThat(batch.errorMessage())
        .isEqualTo("span 1 of resourceSpans[0].scopeSpans[1]: " + expectedError);
  }

  @Test
  void dropsLinksWithInvalidIdsAndCountsThem() {
    String json = request(span(SPAN_A, """
        ,"droppedLinksCount":1,"links":[
          {"traceId":"0f0e0d0c0b0a09080706050403020100","spanId":"0000000000000000"},
          {"traceId":"0f0e0d0c0b0a09080706050403020100","spanId":"6162636465666768"},
          null,
          {"spanId":"6162636465666768"}]"""));

    Span span = decode(json).spans().get(0);

    assertThat(span.links()).hasSize(1);
    assertThat(span.droppedLinksCount()).isEqualTo(3);
  }

  @Test
  void acceptsValuesNestedThirtyTwoLevelsDeep() {
    String json = request(
        span(SPAN_A, ",\"attributes\":[{\"key\":\"deep\",\"value\":" + nestedJson(32) + "}]"));

    assertThat(decode(json).spans().get(0).attributes().get("deep")).isNotNull();
  }

  @Test
  void rejectsValuesNestedDeeperThanThirtyTwoLevels() {
    String json = request(
        span(SPAN_A, ",\"attributes\":[{\"key\":\"deep\",\"value\":" + nestedJson(33) + "}]"));

    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining("limit of 32 levels");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''                                            |"
          + " malformed OTLP JSON: empty body, expected a JSON object",
      "[]                                            |"
          + " malformed OTLP JSON at line 1 column 1: expected a JSON object, got an array",
      "'{\"resourceSpans\": {}}'                     |"
          + " malformed OTLP JSON at line 1 column 19:"
          + " expected an array for resourceSpans, got an object",
      "'{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"abc\"}]}]}]}' |"
          + " malformed OTLP JSON at line 1 column 65:"
          + " expected an unsigned 64-bit integer for startTimeUnixNano, got \"abc\"",
      "'{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"flags\":-1}]}]}]}' |"
          + " malformed OTLP JSON at line 1 column 53:"
          + " flags must be an unsigned 32-bit integer, got -1",
      "'{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":{}}]}]}]}' |"
          + " malformed OTLP JSON at line 1 column 52: expected a string for name, got an object",
      "'{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"key\":\"k\","
          + "\"value\":{\"bytesValue\":\"!!\"}}]}]}]}]}' | bytesValue is not valid base64",
      "'{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"attributes\":[{\"key\":\"k\","
          + "\"value\":{\"boolValue\":1}}]}]}]}]}' |"
          + " expected a boolean for boolValue, got a number",
      "'{\"resourceSpans\":['                        |"
          + " malformed OTLP JSON at line 1 column 19: Unexpected end-of-input",
      "'{\"resourceSpans\":[]} {}'                   |"
          + " malformed OTLP JSON at line 1 column 22:"
          + " unexpected an object after the request object",
      "'{\"resourceSpans\":[],}'                     |"
          + " malformed OTLP JSON at line 1 column 21: Unexpected character"})
  void malformedBodiesThrowCodecExceptionNamingTheProblem(String json, String expectedMessage) {
    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(CodecException.class)
        .hasMessageContaining(expectedMessage);
  }

  @Test
  void messageGivesTheLineOfTheProblem() {
    String json = "{\n  \"resourceSpans\": [\n    {\"scopeSpans\": 5}\n  ]\n}";

    assertThatThrownBy(() -> decode(json))
        .isInstanceOf(CodecException.class)
        .hasMessage("malformed OTLP JSON at line 3 column 20:"
            + " expected an array for scopeSpans, got a number");
  }

  private DecodedBatch decode(String json) {
    return decoder.decode(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String request(String span) {
    return "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + span + "]}]}]}";
  }

  private static String span(String spanIdHex, String extraFields) {
    return "{\"traceId\":\"" + TRACE_A + "\",\"spanId\":\"" + spanIdHex + "\",\"name\":\"op\""
        + extraFields + "}";
  }

  private static String nestedJson(int levels) {
    String v = "{\"stringValue\":\"leaf\"}";
    for (int i = 1; i < levels; i++) {
      v = "{\"arrayValue\":{\"values\":[" + v + "]}}";
    }
    return v;
  }
}
