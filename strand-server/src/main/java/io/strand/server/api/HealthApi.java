package io.strand.server.api;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.annotation.Blocking;
import com.linecorp.armeria.server.annotation.Get;
import io.strand.storage.CheckResult;
import io.strand.storage.StorageComponent;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** {@code /health}: the process answers. {@code /ready}: the store is open and receivers listen. */
public final class HealthApi {

  private final StorageComponent storage;
  private final BooleanSupplier receiversListening;

  public HealthApi(StorageComponent storage, BooleanSupplier receiversListening) {
    this.storage = storage;
    this.receiversListening = receiversListening;
  }

  @Get("/health")
  public HttpResponse health() {
    return JsonResponses.ok(Map.of("status", "UP"));
  }

  @Blocking
  @Get("/ready")
  public HttpResponse ready() {
    CheckResult store = storage.check();
    boolean listening = receiversListening.getAsBoolean();
    boolean ready = store.ok() && listening;
    return JsonResponses.of(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, Map.of(
        "status", ready ? "READY" : "NOT_READY",
        "storage", store.detail(),
        "receivers", listening ? "listening" : "not listening"));
  }
}
