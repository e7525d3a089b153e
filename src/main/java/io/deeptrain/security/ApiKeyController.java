package io.deeptrain.security;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/keys")
@Tag(name = "API keys", description = "Create, list and revoke API keys (admin role)")
class ApiKeyController {

  private final ApiKeyRegistry keys;

  ApiKeyController(ApiKeyRegistry keys) {
    this.keys = keys;
  }

  @PostMapping
  @Operation(
      summary = "Create an API key",
      description =
          "201 with the key's value in `key`: store it now, the service keeps only its SHA-256"
              + " and cannot show it again. Send it as `Authorization: Bearer <key>`.")
  ResponseEntity<ApiKeyView.Created> createKey(@RequestBody CreateApiKeyRequest request) {
    ApiKeyView.Created created = keys.create(request);
    return ResponseEntity.created(URI.create("/api/v1/keys/" + created.id())).body(created);
  }

  @GetMapping
  @Operation(
      summary = "List API keys",
      description =
          "Configured keys first, then created ones, oldest first; names, roles and times, never"
              + " a key's value or hash.")
  List<ApiKeyView> listKeys() {
    return keys.list();
  }

  @DeleteMapping("/{id}")
  @Operation(
      summary = "Revoke an API key",
      description =
          "The key is refused (401) from the next request on, on every replica. 409 when it was"
              + " already revoked or comes from configuration.")
  ApiKeyView revokeKey(@PathVariable UUID id) {
    return keys.revoke(id);
  }
}
