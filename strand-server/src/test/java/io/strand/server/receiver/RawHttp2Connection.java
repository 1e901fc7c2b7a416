package io.strand.server.receiver;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * An HTTP/2 client that writes frames as told, including the ones no real client sends, and
 * tallies what the server answers: response statuses, RST_STREAM codes, GOAWAYs, SETTINGS, and
 * when the server closed the connection. Frames are read on a thread of their own, so the server
 * is never stuck writing to a client that does not read.
 */
final class RawHttp2Connection implements AutoCloseable {
  static final int HEADERS = 0x1;
  static final int RST_STREAM = 0x3;
  static final int SETTINGS = 0x4;
  static final int GOAWAY = 0x7;
  static final int CONTINUATION = 0x9;
  static final int END_HEADERS = 0x4;
  static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;

  private final Socket socket;
  private final OutputStream out;
  private final Thread reader;
  private final DefaultHttp2HeadersDecoder hpack = new DefaultHttp2HeadersDecoder(false);
  /** Response {@code :status} values, counted. */
  final Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
  /** RST_STREAM error codes the server sent, counted. */
  final Map<Integer, AtomicInteger> resets = new ConcurrentHashMap<>();
  /** Settings of the server's first SETTINGS frame. */
  final Map<Integer, Long> serverSettings = new ConcurrentHashMap<>();
  private volatile int goAwayCode = -1;
  private volatile String goAwayDebug = "";
  private final CountDownLatch closed = new CountDownLatch(1);

  /**
   * Connects with the HTTP/2 preface and an empty SETTINGS frame.
   *
   * @param ackServerSettings whether to acknowledge the server's SETTINGS, as every real
   *     client does; the acknowledgement is sent blind, right after the preface
   */
  RawHttp2Connection(int port, boolean ackServerSettings) throws IOException {
    socket = new Socket("127.0.0.1", port);
    out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    frame(SETTINGS, 0, 0, new byte[0]);
    if (ackServerSettings) {
      frame(SETTINGS, 0x1, 0, new byte[0]);
    }
    out.flush();
    reader = Thread.ofPlatform().daemon().name("h2-reader-" + port).start(this::read);
  }

  /** A header block of literals without indexing, so it can be sent again and again. */
  static byte[] headerBlock(String... namesAndValues) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      byte[] name = namesAndValues[i].getBytes(StandardCharsets.US_ASCII);
      byte[] value = namesAndValues[i + 1].getBytes(StandardCharsets.US_ASCII);
      if (name.length > 126 || value.length > 126) {
        throw new IllegalArgumentException("only short literals are encoded");
      }
      b.write(0);
      b.write(name.length);
      b.writeBytes(name);
      b.write(value.length);
      b.writeBytes(value);
    }
    return b.toByteArray();
  }

  /** Writes one frame (buffered; see {@link #flush()}). */
  synchronized void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    byte[] header = {
        (byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
        (byte) type, (byte) flags,
        (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream};
    out.write(header);
    out.write(payload);
  }

  void rstStream(int stream, int errorCode) throws IOException {
    frame(RST_STREAM, 0, stream, ByteBuffer.allocate(4).putInt(errorCode).array());
  }

  synchronized void flush() throws IOException {
    out.flush();
  }

  int responses() {
    return statuses.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  int responses(String status) {
    AtomicInteger n = statuses.get(status);
    return n == null ? 0 : n.get();
  }

  int resets(int errorCode) {
    AtomicInteger n = resets.get(errorCode);
    return n == null ? 0 : n.get();
  }

  /** The error code of the last GOAWAY, or -1 when none came. */
  int goAwayCode() {
    return goAwayCode;
  }

  String goAwayDebug() {
    return goAwayDebug;
  }

  /** Whether the server closed the connection within {@code wait}. */
  boolean awaitClosed(Duration wait) throws InterruptedException {
    return closed.await(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Polls {@code condition} until it holds or {@code wait} has passed; whether it held. */
  static boolean await(Duration wait, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  private void read() {
    try {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      while (true) {
        int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8
            | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = in.readNBytes(length);
        if (payload.length < length) {
          break;
        }
        onFrame(type, flags, stream, ByteBuffer.wrap(payload));
      }
    } catch (IOException e) {
      // the server closed or reset the connection, or close() did
    } finally {
      closed.countDown();
    }
  }

  private void onFrame(int type, int flags, int stream, ByteBuffer payload) {
    switch (type) {
      case HEADERS -> {
        try {
          CharSequence status = hpack.decodeHeaders(stream,
              Unpooled.wrappedBuffer(payload)).status();
          if (status != null) {
            statuses.computeIfAbsent(status.toString(), s -> new AtomicInteger())
                .incrementAndGet();
          }
        } catch (Http2Exception e) {
          throw new IllegalStateException("undecodable response headers", e);
        }
      }
      case RST_STREAM -> resets.computeIfAbsent(payload.getInt(), c -> new AtomicInteger())
          .incrementAndGet();
      case SETTINGS -> {
        if ((flags & 0x1) == 0 && serverSettings.isEmpty()) {
          while (payload.remaining() >= 6) {
            serverSettings.put(payload.getShort() & 0xffff, payload.getInt() & 0xffffffffL);
          }
        }
      }
      case GOAWAY -> {
        payload.getInt(); // last stream id
        goAwayCode = payload.getInt();
        goAwayDebug = StandardCharsets.UTF_8.decode(payload).toString();
      }
      default -> { }
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
      reader.join(Duration.ofSeconds(5));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
