/**
 * Who may call the API: API keys with roles (reader, trainer, admin), the open mode for local use,
 * and the request limits that protect the service from one client (inference rate per key, JSON
 * body size).
 */
package io.deeptrain.security;
