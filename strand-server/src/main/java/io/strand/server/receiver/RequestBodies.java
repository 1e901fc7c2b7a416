package io.strand.server.receiver;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Request bodies, decompressed under a size limit. The limit applies to the decompressed size and
 * inflation stops as soon as it is passed, so a gzip bomb costs at most the limit in memory.
 */
final class RequestBodies {
  private RequestBodies() {}

  /**
   * The body, gunzipped when {@code Content-Encoding: gzip}.
   *
   * @throws ReceiverException 413 over the limit, 400 for broken gzip, 415 for other encodings
   */
  static byte[] read(AggregatedHttpRequest request, long maxBytes) {
    String encoding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    byte[] raw = request.content().array();
    if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
      checkSize(raw.length, maxBytes);
      return raw;
    }
    if (!encoding.trim().equalsIgnoreCase("gzip")) {
      throw new ReceiverException(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "unsupported Content-Encoding '" + encoding + "' (use gzip or none)");
    }
    return gunzip(raw, maxBytes);
  }

  private static byte[] gunzip(byte[] raw, long maxBytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(raw.length * 4, 1 << 20));
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        checkSize(total, maxBytes);
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      throw new ReceiverException(HttpStatus.BAD_REQUEST,
          "request body is not valid gzip: " + e.getMessage());
    }
    return out.toByteArray();
  }

  private static void checkSize(long size, long maxBytes) {
    if (size > maxBytes) {
      throw new ReceiverException(HttpStatus.REQUEST_ENTITY_TOO_LARGE,
          "request body exceeds the limit of " + maxBytes
              + " bytes after decompression (receivers.max-request-size)");
    }
  }
}
