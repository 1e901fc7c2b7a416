package io.strand.storage;

import java.util.List;

/** Names of services and operations seen in stored spans. */
public interface ServiceCatalog {

  /** Distinct service names, sorted; empty when nothing is stored. */
  List<String> services();

  /** Distinct operations of a service, sorted by name then kind; empty for an unknown service. */
  List<Operation> operations(String service);
}
