package io.strand.codec.otlp;

import io.strand.model.InstrumentationScope;
import io.strand.model.Resource;
import io.strand.model.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups spans by resource, then by scope, as OTLP's {@code ResourceSpans}/{@code ScopeSpans}
 * nest them. Groups keep the order of first appearance and spans keep their relative order. Runs of
 * spans sharing the same resource and scope instances (the common case) skip the hash lookups.
 */
final class SpanGroups {

  /** Spans of one scope within one resource. */
  record ScopeGroup(InstrumentationScope scope, List<Span> spans) {}

  /** Scope groups of one resource. */
  record ResourceGroup(Resource resource, List<ScopeGroup> scopes) {}

  private SpanGroups() {}

  /** Groups {@code spans}; see the class comment for the order. */
  static List<ResourceGroup> group(List<Span> spans) {
    List<ResourceGroup> groups = new ArrayList<>();
    Map<Resource, ResourceGroup> byResource = new HashMap<>();
    Map<ResourceGroup, Map<InstrumentationScope, ScopeGroup>> byScope = new IdentityHashMap<>();
    Resource lastResource = null;
    InstrumentationScope lastScope = null;
    ResourceGroup resourceGroup = null;
    ScopeGroup scopeGroup = null;
    for (Span span : spans) {
      if (span.resource() != lastResource) {
        lastResource = span.resource();
        lastScope = null;
        resourceGroup = byResource.get(lastResource);
        if (resourceGroup == null) {
          resourceGroup = new ResourceGroup(lastResource, new ArrayList<>());
          byResource.put(lastResource, resourceGroup);
          groups.add(resourceGroup);
        }
      }
      if (span.scope() != lastScope) {
        lastScope = span.scope();
        Map<InstrumentationScope, ScopeGroup> scopes =
            byScope.computeIfAbsent(resourceGroup, g -> new HashMap<>());
        scopeGroup = scopes.get(lastScope);
        if (scopeGroup == null) {
          scopeGroup = new ScopeGroup(lastScope, new ArrayList<>());
          scopes.put(lastScope, scopeGroup);
          resourceGroup.scopes().add(scopeGroup);
        }
      }
      scopeGroup.spans().add(span);
    }
    return groups;
  }
}
