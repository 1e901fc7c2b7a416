package io.strand.server.metrics;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.annotation.Get;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** {@code GET /metrics} in the Prometheus text format. */
public final class MetricsService {
  private static final MediaType TEXT =
      MediaType.parse(PrometheusTextFormatWriter.CONTENT_TYPE);

  private final StrandMetrics metrics;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  public MetricsService(StrandMetrics metrics) {
    this.metrics = metrics;
  }

  /** Every metric, scraped now. */
  @Get("/metrics")
  public HttpResponse scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, metrics.registry().scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HttpResponse.of(HttpStatus.OK, TEXT, HttpData.wrap(out.toByteArray()));
  }
}
