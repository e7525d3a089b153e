package io.deeptrain.security;

/**
 * Which role each request needs. Only the API ({@code /api}, {@code /v2}) and the actuator carry
 * data; the dashboard's static files, Swagger UI, the OpenAPI document and health probes are
 * public.
 */
final class AccessRules {

  private AccessRules() {}

  /** The role a request needs, or null when it is public. */
  static Role required(String method, String path) {
    if ("OPTIONS".equals(method)) {
      return null; // CORS preflight carries no data and no key
    }
    if (under(path, "/actuator/health") || under(path, "/v2/health")) {
      return null;
    }
    boolean api = under(path, "/api") || under(path, "/v2");
    if (!api && !under(path, "/actuator")) {
      return null;
    }
    if (under(path, "/api/v1/keys") || "DELETE".equals(method)) {
      return Role.ADMIN;
    }
    if (("PUT".equals(method) || "PATCH".equals(method)) && aliasPath(path)) {
      return Role.ADMIN;
    }
    if ("GET".equals(method) || "HEAD".equals(method)) {
      return Role.READER;
    }
    return Role.TRAINER;
  }

  /**
   * Whether the request runs a model: a POST to an action of one model ({@code
   * /api/v1/models/{ref}/classify}, ...) or an Open Inference Protocol infer.
   */
  static boolean inference(String method, String path) {
    if (!"POST".equals(method)) {
      return false;
    }
    if (path.startsWith("/api/v1/models/")) {
      String[] rest = path.substring("/api/v1/models/".length()).split("/");
      return rest.length >= 2 && !rest[0].isEmpty();
    }
    return path.startsWith("/v2/models/") && path.endsWith("/infer");
  }

  private static boolean aliasPath(String path) {
    if (!path.startsWith("/api/v1/models/")) {
      return false;
    }
    String[] rest = path.substring("/api/v1/models/".length()).split("/");
    return rest.length >= 2 && "aliases".equals(rest[1]);
  }

  private static boolean under(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix + "/");
  }
}
