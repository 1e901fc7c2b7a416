package io.strand.codec.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.strand.codec.CodecException;
import io.strand.codec.DecodedBatch;
import io.strand.codec.otlp.OtlpJsonDecoder;
import io.strand.codec.otlp.OtlpProtoDecoder;
import io.strand.codec.zipkin.ZipkinDecoder;
import java.util.function.Function;

/**
 * Fuzzing of every wire decoder: whatever the bytes, a decoder returns a batch or throws {@link
 * CodecException} with a message; any other exception or error is a bug. Under {@code ./mvnw
 * verify} these replay the committed inputs in {@code src/test/resources} (regression mode); a
 * real fuzzing run is {@code JAZZER_FUZZ=1 ./mvnw -pl strand-codec test -Dtest=DecoderFuzzTest}.
 */
class DecoderFuzzTest {
  private static final OtlpProtoDecoder OTLP_PROTO = new OtlpProtoDecoder();
  private static final OtlpJsonDecoder OTLP_JSON = new OtlpJsonDecoder();
  private static final ZipkinDecoder ZIPKIN = new ZipkinDecoder();

  @FuzzTest(maxDuration = "30s")
  void otlpProtobuf(byte[] input) {
    decodeOrRefuse(OTLP_PROTO::decode, input);
  }

  @FuzzTest(maxDuration = "30s")
  void otlpJson(byte[] input) {
    decodeOrRefuse(OTLP_JSON::decode, input);
  }

  @FuzzTest(maxDuration = "30s")
  void zipkinJson(byte[] input) {
    decodeOrRefuse(ZIPKIN::decodeJson, input);
  }

  @FuzzTest(maxDuration = "30s")
  void zipkinProto3(byte[] input) {
    decodeOrRefuse(ZIPKIN::decodeProto3, input);
  }

  private static void decodeOrRefuse(Function<byte[], DecodedBatch> decoder, byte[] input) {
    try {
      DecodedBatch batch = decoder.apply(input);
      if (batch.rejectedSpans() > 0 && batch.errorMessage() == null) {
        throw new AssertionError("rejected spans without a message");
      }
    } catch (CodecException e) {
      if (e.getMessage() == null || e.getMessage().isBlank()) {
        throw new AssertionError("refusal without a message", e);
      }
    }
  }
}
