package io.strand.pipeline;

/**
 * How much the ingest queue may hold before receivers refuse more, in three measures: batches,
 * spans and request bytes (after decompression). Whichever is reached first refuses the batch. A
 * batch arriving at an empty queue is always taken, so a single large request can never be
 * refused forever.
 *
 * @param batches batches waiting beyond those being written, at least 1
 * @param spans spans queued or being written, at least 1
 * @param bytes request bytes queued or being written, at least 1
 */
public record QueueBounds(int batches, long spans, long bytes) {

  public QueueBounds {
    if (batches < 1 || spans < 1 || bytes < 1) {
      throw new IllegalArgumentException(
          "queue bounds must be at least 1: batches " + batches + ", spans " + spans
              + ", bytes " + bytes);
    }
  }
}
