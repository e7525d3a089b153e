package io.deeptrain.security;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The api_keys table; keys are found by the SHA-256 of their value. */
@Repository
class ApiKeyStore {

  private static final String COLUMNS =
      "id, name, role, key_prefix, created_at, expires_at, last_used_at, revoked_at";

  private final JdbcClient jdbc;

  ApiKeyStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  void insert(ApiKey key, String hash) {
    jdbc.sql(
            "INSERT INTO api_keys (id, name, role, key_hash, key_prefix, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")
        .params(
            key.id(),
            key.name(),
            key.role().name(),
            hash,
            key.prefix(),
            Timestamp.from(key.createdAt()),
            key.expiresAt() == null ? null : Timestamp.from(key.expiresAt()))
        .update();
  }

  Optional<ApiKey> findByHash(String hash) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE key_hash = ?")
        .param(hash)
        .query(ApiKeyStore::row)
        .optional();
  }

  Optional<ApiKey> find(UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?")
        .param(id)
        .query(ApiKeyStore::row)
        .optional();
  }

  List<ApiKey> list() {
    return jdbc.sql("SELECT " + COLUMNS + " FROM api_keys ORDER BY created_at, id")
        .query(ApiKeyStore::row)
        .list();
  }

  /** Marks the key revoked; false when it already was. */
  boolean revoke(UUID id, Instant at) {
    return jdbc.sql("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
            .params(Timestamp.from(at), id)
            .update()
        == 1;
  }

  boolean hasUsableAdmin(Instant now) {
    return jdbc.sql(
            "SELECT EXISTS (SELECT 1 FROM api_keys WHERE role = 'ADMIN' AND revoked_at IS NULL"
                + " AND (expires_at IS NULL OR expires_at > ?))")
        .param(Timestamp.from(now))
        .query(Boolean.class)
        .single();
  }

  void touch(UUID id, Instant at) {
    jdbc.sql("UPDATE api_keys SET last_used_at = ? WHERE id = ?")
        .params(Timestamp.from(at), id)
        .update();
  }

  private static ApiKey row(ResultSet rs, int n) throws SQLException {
    return new ApiKey(
        rs.getObject("id", UUID.class),
        rs.getString("name"),
        Role.valueOf(rs.getString("role")),
        rs.getString("key_prefix"),
        ApiKey.API,
        instant(rs, "created_at"),
        instant(rs, "expires_at"),
        instant(rs, "last_used_at"),
        instant(rs, "revoked_at"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    Timestamp t = rs.getTimestamp(column);
    return t == null ? null : t.toInstant();
  }
}
