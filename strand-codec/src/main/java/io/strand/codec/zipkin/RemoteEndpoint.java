package io.strand.codec.zipkin;

import io.strand.model.AttributeValue;
import io.strand.model.Attributes;
import zipkin2.Endpoint;

/**
 * Derives a Zipkin remote endpoint from span attributes, following the ranking of the
 * OpenTelemetry-to-Zipkin transformation, and remembers which of the attributes that {@link
 * ZipkinSpanMapper} creates from a remote endpoint ({@code peer.service}, {@code net.peer.ip},
 * {@code net.sock.peer.addr}, {@code net.peer.port}) went into it, so they are not repeated as
 * tags. Single use.
 */
final class RemoteEndpoint {

  /** Attributes naming the remote service or host, best first. */
  private static final String[] NAMES = {
    ZipkinKeys.PEER_SERVICE, "server.address", "net.peer.name", "server.socket.domain",
    "net.sock.peer.name", "peer.hostname", "db.name"
  };
  /** Attributes holding the remote IP, best first. */
  private static final String[] IPS = {
    ZipkinKeys.NET_PEER_IP, ZipkinKeys.NET_SOCK_PEER_ADDR, "network.peer.address",
    "server.socket.address", "peer.address"
  };
  /** Attributes holding the remote port, best first. */
  private static final String[] PORTS = {
    ZipkinKeys.NET_PEER_PORT, "network.peer.port", "server.socket.port", "net.sock.peer.port",
    "server.port"
  };

  private boolean usedPeerService;
  private boolean usedPeerIp;
  private boolean usedSockPeerAddr;
  private boolean usedPeerPort;

  /** The remote endpoint described by {@code attributes}, or {@code null} when none is. */
  Endpoint resolve(Attributes attributes) {
    if (attributes.isEmpty()) {
      return null;
    }
    Endpoint.Builder b = Endpoint.newBuilder();
    boolean any = false;
    for (String key : NAMES) {
      AttributeValue v = attributes.get(key);
      if (v instanceof AttributeValue.StringValue s && !s.value().isEmpty()) {
        b.serviceName(s.value());
        usedPeerService = key.equals(ZipkinKeys.PEER_SERVICE);
        any = true;
        break;
      }
    }
    boolean haveV4 = false;
    boolean haveV6 = false;
    for (String key : IPS) {
      AttributeValue v = attributes.get(key);
      if (v instanceof AttributeValue.StringValue s) {
        boolean v6 = s.value().indexOf(':') >= 0;
        if ((v6 ? !haveV6 : !haveV4) && b.parseIp(s.value())) {
          haveV4 |= !v6;
          haveV6 |= v6;
          usedPeerIp |= key.equals(ZipkinKeys.NET_PEER_IP);
          usedSockPeerAddr |= key.equals(ZipkinKeys.NET_SOCK_PEER_ADDR);
          any = true;
        }
      }
    }
    for (String key : PORTS) {
      int port = port(attributes.get(key));
      if (port > 0) {
        b.port(port);
        usedPeerPort = key.equals(ZipkinKeys.NET_PEER_PORT);
        any = true;
        break;
      }
    }
    return any ? b.build() : null;
  }

  /** Whether the attribute went into the endpoint and should not also become a tag. */
  boolean consumed(String key) {
    return switch (key) {
      case ZipkinKeys.PEER_SERVICE -> usedPeerService;
      case ZipkinKeys.NET_PEER_IP -> usedPeerIp;
      case ZipkinKeys.NET_SOCK_PEER_ADDR -> usedSockPeerAddr;
      case ZipkinKeys.NET_PEER_PORT -> usedPeerPort;
      default -> false;
    };
  }

  /** A port from a long or numeric string attribute; 0 when absent or out of range. */
  static int port(AttributeValue v) {
    long port;
    if (v instanceof AttributeValue.LongValue l) {
      port = l.value();
    } else if (v instanceof AttributeValue.StringValue s) {
      try {
        port = Long.parseLong(s.value());
      } catch (NumberFormatException e) {
        return 0;
      }
    } else {
      return 0;
    }
    return port > 0 && port <= 0xffff ? (int) port : 0;
  }
}
