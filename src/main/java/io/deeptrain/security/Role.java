package io.deeptrain.security;

/** What a key may do; each role may do everything the roles before it may. */
public enum Role {
  /** GET and HEAD on the API. */
  READER,
  /** Also submit, cancel and resume jobs, upload datasets and models, run inference. */
  TRAINER,
  /** Also manage keys and aliases, and delete. */
  ADMIN;

  /** Whether a key with this role may do what {@code needed} allows. */
  public boolean covers(Role needed) {
    return ordinal() >= needed.ordinal();
  }

  String authority() {
    return "ROLE_" + name();
  }

  String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
