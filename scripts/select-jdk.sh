# Sourced by ./strand and .ci/run: exports JAVA_HOME as a JDK of at least version 21.
# Keeps an existing JAVA_HOME or `java` on the PATH when new enough, else searches /usr/lib/jvm.

jdk_major() { # prints the major version of the java binary $1, or 0
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {
    split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); found=1 } END { if (!found) print 0 }'
}

strand_select_jdk() {
  local candidate
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    if [ "$(jdk_major "$candidate/bin/java")" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      export PATH="$JAVA_HOME/bin:$PATH"
      return 0
    fi
  done
  echo "strand: no JDK 21 or newer found (set JAVA_HOME, or install one under /usr/lib/jvm)" >&2
  return 1
}
