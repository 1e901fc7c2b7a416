package io.strand.storage;

/**
 * Health of a component.
 *
 * @param ok whether it can serve now
 * @param detail why not, or a short description when ok
 */
public record CheckResult(boolean ok, String detail) {

  public static final CheckResult OK = new CheckResult(true, "ok");

  public static CheckResult failed(String detail) {
    return new CheckResult(false, detail);
  }
}
