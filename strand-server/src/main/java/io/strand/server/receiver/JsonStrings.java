package io.strand.server.receiver;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** Quoting of strings embedded in small hand-written JSON responses. */
final class JsonStrings {
  private JsonStrings() {}

  static String quote(String s) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s == null ? "" : s))
        + "\"";
  }
}
