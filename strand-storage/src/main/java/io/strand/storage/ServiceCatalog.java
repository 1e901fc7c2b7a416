package io.strand.storage;

import java.util.List;

/** Names of services and operations seen in stored spans. */
public interface ServiceCatalog {

  /** Distinct service names, sorted; empty when nothing is stored. */
  List<String> services();

  /** Distinct operations of a service, sorted by name then kind; empty for an unknown service. */
  List<Operation> operations(String service);

  /**
   * Distinct services a service calls, as its spans name them in the {@value #PEER_SERVICE}
   * attribute (Zipkin's remote endpoint maps there), sorted; empty when none.
   */
  List<String> remoteServices(String service);

  /** The span attribute naming the remote service of a call. */
  String PEER_SERVICE = "peer.service";
}
