package io.strand.server.api.zipkin;

import io.strand.model.Span;
import io.strand.model.SpanEvent;
import io.strand.model.StatusCode;
import io.strand.server.api.search.NameMatch;
import io.strand.server.api.search.SearchCriteria;
import io.strand.storage.Operation;
import io.strand.storage.ServiceCatalog;
import io.strand.storage.TraceQuery;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Turns a Zipkin search into store searches.
 *
 * <ul>
 *   <li>{@code serviceName}, {@code spanName} and {@code remoteServiceName} compare ignoring case,
 *       as Zipkin lower-cases them: each is resolved through the service catalog to the stored
 *       spellings, and one store query runs per combination. A name nothing stored carries gives
 *       no results without a store query.
 *   <li>{@code remoteServiceName} is the {@code peer.service} attribute, where Strand keeps a
 *       Zipkin span's remote endpoint.
 *   <li>In {@code annotationQuery}, {@code error} alone asks for status ERROR and {@code
 *       error=msg} for status ERROR with that message (Zipkin's {@code error} tag is the status);
 *       {@code otel.status_code=ERROR|OK} asks for that status; other {@code key=value} terms are
 *       attribute equalities (span attribute, else resource attribute); another bare word asks for
 *       an attribute with that key or an event (annotation) with that name.
 * </ul>
 *
 * <p>All criteria must hold for one and the same span, as in Jaeger; Zipkin allows them to be
 * met by different spans of a trace. So {@code http.method=GET and retried} finds a span that
 * has both, not a trace where one span has each.
 */
final class ZipkinSearchPlan {

  private static final String ERROR = "error";
  private static final String STATUS_CODE = "otel.status_code";
  private static final List<String> ANY = Collections.singletonList(null);

  private ZipkinSearchPlan() {}

  /** The store searches for {@code request}; empty when nothing stored can match. */
  static List<SearchCriteria> plan(ZipkinSearchRequest request, ServiceCatalog catalog) {
    Conditions conditions = Conditions.of(request.annotationQuery());
    if (conditions == null) {
      return List.of();
    }
    List<String> services = request.serviceName() == null ? ANY
        : NameMatch.storedSpellings(catalog.services(), request.serviceName());
    LinkedHashSet<SearchCriteria> out = new LinkedHashSet<>();
    for (String service : services) {
      List<String> spanNames = request.spanName() == null ? ANY
          : NameMatch.storedSpellings(operationNames(catalog, service), request.spanName());
      List<String> remotes = request.remoteServiceName() == null ? ANY
          : NameMatch.storedSpellings(remoteServices(catalog, service),
              request.remoteServiceName());
      for (String spanName : spanNames) {
        for (String remote : remotes) {
          Map<String, String> attributes = new HashMap<>(conditions.attributes());
          if (remote != null) {
            String asked = attributes.putIfAbsent(ServiceCatalog.PEER_SERVICE, remote);
            if (asked != null && !asked.equals(remote)) {
              continue; // annotationQuery asked for another peer.service: no span has both
            }
          }
          TraceQuery query = TraceQuery.builder()
              .serviceName(service)
              .operationName(spanName)
              .statusCode(conditions.status())
              .attributes(attributes)
              .minDurationNanos(request.minDurationNanos())
              .maxDurationNanos(request.maxDurationNanos())
              .startTimeMinNanos(request.startTimeMinNanos())
              .startTimeMaxNanos(request.startTimeMaxNanos())
              .limit(request.limit())
              .build();
          out.add(new SearchCriteria(query, conditions.filter()));
        }
      }
    }
    return List.copyOf(out);
  }

  /** Span names of {@code service}, or of every service when null. */
  private static Collection<String> operationNames(ServiceCatalog catalog, String service) {
    TreeSet<String> names = new TreeSet<>();
    for (String s : service == null ? catalog.services() : List.of(service)) {
      for (Operation op : catalog.operations(s)) {
        names.add(op.name());
      }
    }
    return names;
  }

  /** Remote services called by {@code service}, or by any service when null. */
  private static Collection<String> remoteServices(ServiceCatalog catalog, String service) {
    if (service != null) {
      return catalog.remoteServices(service);
    }
    TreeSet<String> names = new TreeSet<>();
    for (String s : catalog.services()) {
      names.addAll(catalog.remoteServices(s));
    }
    return names;
  }

  /**
   * What an annotation query asks of a span.
   *
   * @param status required status, or null for any
   * @param attributes attribute equalities
   * @param filter test the store cannot run, or null for none
   */
  record Conditions(StatusCode status, Map<String, String> attributes, Predicate<Span> filter) {

    /** The conditions of {@code query}, or null when they contradict each other. */
    static Conditions of(AnnotationQuery query) {
      StatusCode status = null;
      Map<String, String> attributes = new HashMap<>();
      List<Predicate<Span>> filters = new ArrayList<>();
      for (Map.Entry<String, String> tag : query.tags().entrySet()) {
        String key = tag.getKey();
        String value = tag.getValue();
        StatusCode wanted = null;
        if (key.equals(ERROR)) {
          wanted = StatusCode.ERROR;
          if (!value.isEmpty()) {
            filters.add(s -> s.statusMessage().equals(value));
          }
        } else if (key.equals(STATUS_CODE) && (value.equals("ERROR") || value.equals("OK"))) {
          wanted = StatusCode.valueOf(value);
        } else {
          attributes.put(key, value);
        }
        if (wanted != null) {
          if (status != null && status != wanted) {
            return null;
          }
          status = wanted;
        }
      }
      for (String word : query.words()) {
        if (word.equals(ERROR)) {
          if (status == StatusCode.OK) {
            return null;
          }
          status = StatusCode.ERROR;
        } else {
          filters.add(s -> hasKeyOrEvent(s, word));
        }
      }
      Predicate<Span> filter = filters.stream().reduce(Predicate::and).orElse(null);
      return new Conditions(status, attributes, filter);
    }

    /** Zipkin's bare word: a tag with this key, or an annotation with this value. */
    static boolean hasKeyOrEvent(Span span, String word) {
      if (span.attributes().get(word) != null || span.resource().attributes().get(word) != null) {
        return true;
      }
      for (SpanEvent e : span.events()) {
        if (e.name().equals(word)) {
          return true;
        }
      }
      return false;
    }
  }
}
