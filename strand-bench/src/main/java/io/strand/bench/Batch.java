package io.strand.bench;

import io.strand.model.TraceId;

/**
 * One request body and what it holds.
 *
 * @param body the encoded spans
 * @param spans how many spans the body holds
 * @param wholeTraces ids of the traces whose every span is in this body (none split with a
 *     neighbouring batch), candidates for reading back after the run
 * @param wholeTraceSpans span count of each of {@code wholeTraces}
 */
public record Batch(byte[] body, int spans, TraceId[] wholeTraces, int[] wholeTraceSpans) {}
