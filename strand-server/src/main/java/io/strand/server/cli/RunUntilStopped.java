package io.strand.server.cli;

import java.util.concurrent.CountDownLatch;

/** Blocks until the JVM is asked to stop, then closes what was started, in reverse order. */
final class RunUntilStopped {
  private RunUntilStopped() {}

  static void await(AutoCloseable... resources) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (int i = resources.length - 1; i >= 0; i--) {
        try {
          resources[i].close();
        } catch (Exception e) {
          System.err.println("strand: error while stopping: " + e);
        }
      }
      stopped.countDown();
    }, "strand-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
