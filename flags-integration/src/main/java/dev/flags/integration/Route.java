package dev.flags.integration;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One route of the admin API: method, path template ({@code {key}} a flag or segment key), the
 * operation, and every status it may answer. The table ({@link #ALL}) is what the handler
 * dispatches on, and what docs/openapi.json is tested against.
 *
 * @param method the HTTP method
 * @param template the path below the base, such as {@code /flags/{key}/on}
 * @param operation the operation id, as in the OpenAPI document
 * @param write whether it changes the store (needs the editor role and {@code
 *     flags.admin.write-enabled})
 * @param statuses every status it answers, errors included
 */
record Route(
    String method, String template, String operation, boolean write, Set<Integer> statuses) {

  Route {
    statuses = Set.copyOf(new TreeSet<>(statuses));
  }

  private static final Set<Integer> READ = Set.of(200, 401, 403, 503);
  private static final Set<Integer> WRITE = Set.of(401, 403, 405, 409, 503);

  static final List<Route> ALL =
      List.of(
          read("GET", "/flags", "listFlags", 400),
          write("POST", "/flags", "createFlag", 201, 400, 413),
          read("GET", "/flags/{key}", "getFlag", 400, 404),
          write("PUT", "/flags/{key}", "replaceFlag", 200, 400, 412, 413, 428),
          write("DELETE", "/flags/{key}", "deleteFlag", 204, 400, 404, 412),
          write("POST", "/flags/{key}/on", "turnFlagOn", 200, 400, 404, 412, 413),
          write("POST", "/flags/{key}/off", "turnFlagOff", 200, 400, 404, 412, 413),
          write("PUT", "/flags/{key}/rollout", "setRollout", 200, 400, 404, 412, 413),
          write("POST", "/flags/{key}/targets", "changeTargets", 200, 400, 404, 412, 413),
          write("PUT", "/flags/{key}/metadata", "updateMetadata", 200, 400, 404, 412, 413),
          write("POST", "/flags/{key}/restore", "restoreFlag", 200, 400, 412, 413),
          new Route(
              "GET", "/flags/{key}/explain", "explainFlag", false, Set.of(200, 400, 401, 403, 404)),
          read("GET", "/flags/{key}/audit", "flagAudit", 400),
          read("GET", "/flags/{key}/guarded-rollout", "getGuardedRollout", 400, 404, 409),
          write(
              "POST",
              "/flags/{key}/guarded-rollout/pause",
              "pauseGuardedRollout",
              200,
              400,
              404,
              413),
          write(
              "POST",
              "/flags/{key}/guarded-rollout/resume",
              "resumeGuardedRollout",
              200,
              400,
              404,
              413),
          write(
              "POST",
              "/flags/{key}/guarded-rollout/abort",
              "abortGuardedRollout",
              200,
              400,
              404,
              413),
          write(
              "POST",
              "/flags/{key}/guarded-rollout/restart",
              "restartGuardedRollout",
              200,
              400,
              404,
              413),
          read("GET", "/audit", "audit", 400),
          read("GET", "/segments", "listSegments"),
          read("GET", "/segments/{key}", "getSegment", 400, 404, 409),
          write("PUT", "/segments/{key}", "putSegment", 200, 400, 412, 413),
          write("DELETE", "/segments/{key}", "deleteSegment", 204, 400, 404, 412),
          new Route("GET", "/status", "status", false, Set.of(200, 401, 403)));

  /** Whether {@code segments} (the request path split at {@code /}) fit the template. */
  boolean matches(List<String> segments) {
    List<String> t = split(template);
    if (t.size() != segments.size()) {
      return false;
    }
    for (int i = 0; i < t.size(); i++) {
      if (!t.get(i).equals("{key}") && !t.get(i).equals(segments.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** The {@code {key}} of a matching path, or empty. */
  static String key(String template, List<String> segments) {
    List<String> t = split(template);
    for (int i = 0; i < t.size(); i++) {
      if (t.get(i).equals("{key}")) {
        return segments.get(i);
      }
    }
    return "";
  }

  static List<String> split(String path) {
    return List.of(path.replaceAll("^/+|/+$", "").split("/+", -1));
  }

  private static Route read(String method, String template, String operation, Integer... more) {
    Set<Integer> s = new TreeSet<>(READ);
    s.addAll(List.of(more));
    return new Route(method, template, operation, false, s);
  }

  private static Route write(String method, String template, String operation, Integer... more) {
    Set<Integer> s = new TreeSet<>(WRITE);
    s.addAll(List.of(more));
    return new Route(method, template, operation, true, s);
  }
}
