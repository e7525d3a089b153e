{{- define "deeptrain.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "deeptrain.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "deeptrain.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "deeptrain.labels" -}}
helm.sh/chart: {{ include "deeptrain.chart" . }}
app.kubernetes.io/name: {{ include "deeptrain.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* The service's pods; the bundled PostgreSQL has component "postgresql". */}}
{{- define "deeptrain.selectorLabels" -}}
app.kubernetes.io/name: {{ include "deeptrain.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end }}

{{- define "deeptrain.postgresql.fullname" -}}
{{- printf "%s-postgresql" (include "deeptrain.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "deeptrain.postgresql.selectorLabels" -}}
app.kubernetes.io/name: {{ include "deeptrain.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: postgresql
{{- end }}

{{- define "deeptrain.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "deeptrain.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The CPU image is <version>; the CUDA build of the same version is <version><gpu.tagSuffix>. */}}
{{- define "deeptrain.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.gpu.enabled }}
{{- $tag = printf "%s%s" $tag .Values.gpu.tagSuffix }}
{{- end }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}

{{/* Secret and key holding the bootstrap admin key. */}}
{{- define "deeptrain.adminKeySecret" -}}
{{- if .Values.security.existingSecret }}{{ .Values.security.existingSecret }}
{{- else if .Values.security.adminKey }}{{ include "deeptrain.fullname" . }}
{{- else }}{{ include "deeptrain.fullname" . }}-admin-key
{{- end }}
{{- end }}

{{- define "deeptrain.adminKeySecretKey" -}}
{{- if .Values.security.existingSecret }}{{ .Values.security.existingSecretKey }}{{ else }}admin-key{{ end }}
{{- end }}

{{/* Secret and key holding the database password. */}}
{{- define "deeptrain.databaseSecret" -}}
{{- if .Values.postgresql.enabled }}
{{- default (include "deeptrain.postgresql.fullname" .) .Values.postgresql.auth.existingSecret }}
{{- else }}
{{- default (include "deeptrain.fullname" .) .Values.externalDatabase.existingSecret }}
{{- end }}
{{- end }}

{{- define "deeptrain.databaseSecretKey" -}}
{{- if .Values.postgresql.enabled }}
{{- if .Values.postgresql.auth.existingSecret }}{{ .Values.postgresql.auth.existingSecretPasswordKey }}{{ else }}password{{ end }}
{{- else }}
{{- if .Values.externalDatabase.existingSecret }}{{ .Values.externalDatabase.existingSecretPasswordKey }}{{ else }}database-password{{ end }}
{{- end }}
{{- end }}

{{- define "deeptrain.jdbcUrl" -}}
{{- if .Values.postgresql.enabled }}
{{- printf "jdbc:postgresql://%s:5432/%s" (include "deeptrain.postgresql.fullname" .) .Values.postgresql.auth.database }}
{{- else }}
{{- if not .Values.externalDatabase.host }}
{{- fail "externalDatabase.host is required when postgresql.enabled is false" }}
{{- end }}
{{- $url := printf "jdbc:postgresql://%s:%d/%s" .Values.externalDatabase.host (int .Values.externalDatabase.port) .Values.externalDatabase.database }}
{{- if .Values.externalDatabase.parameters }}
{{- $url = printf "%s?%s" $url .Values.externalDatabase.parameters }}
{{- end }}
{{- $url }}
{{- end }}
{{- end }}

{{- define "deeptrain.databaseUser" -}}
{{- if .Values.postgresql.enabled }}{{ .Values.postgresql.auth.username }}{{ else }}{{ .Values.externalDatabase.user }}{{ end }}
{{- end }}

{{- define "deeptrain.terminationGracePeriodSeconds" -}}
{{- $s := .Values.shutdown }}
{{- $floor := add (int $s.preStopSleepSeconds) (int $s.jobsGraceSeconds) }}
{{- if kindIs "invalid" $s.terminationGracePeriodSeconds }}
{{- add $floor (int $s.drainSeconds) 10 }}
{{- else if le (int $s.terminationGracePeriodSeconds) (int $floor) }}
{{- fail (printf "shutdown.terminationGracePeriodSeconds (%d) must exceed shutdown.preStopSleepSeconds + shutdown.jobsGraceSeconds (%d): running jobs need that long to checkpoint and go back to the queue" (int $s.terminationGracePeriodSeconds) (int $floor)) }}
{{- else }}
{{- int $s.terminationGracePeriodSeconds }}
{{- end }}
{{- end }}

{{/*
application.yaml: the user's `config` plus the settings the chart manages. A managed setting in
`config` fails the install rather than being silently overridden, and so does a secret.
*/}}
{{- define "deeptrain.applicationYaml" -}}
{{- $config := .Values.config | default dict }}
{{- $refused := list
  (list "deeptrain.security.enabled" "security.enabled")
  (list "deeptrain.security.admin-key" "security.adminKey or security.existingSecret (a Secret, never the ConfigMap)")
  (list "deeptrain.datasets.dir" "persistence.mountPath")
  (list "deeptrain.jobs.shutdown-grace" "shutdown.jobsGraceSeconds")
  (list "spring.lifecycle.timeout-per-shutdown-phase" "shutdown.drainSeconds")
  (list "spring.datasource" "postgresql.* or externalDatabase.*")
  (list "server.port" "nothing: the probes, Service and Ingress use port 8080")
  (list "management.server" "nothing: the probes use the server port")
}}
{{- range $refused }}
{{- $path := splitList "." (index . 0) }}
{{- $node := $config }}
{{- range $path }}
{{- if kindIs "map" $node }}{{ $node = get $node . }}{{ else }}{{ $node = "" }}{{ end }}
{{- end }}
{{- if not (kindIs "invalid" $node) }}{{ if ne (toString $node) "" }}
{{- fail (printf "config.%s is managed by the chart: set %s" (index . 0) (index . 1)) }}
{{- end }}{{ end }}
{{- end }}
{{- $managed := dict
  "deeptrain" (dict
    "security" (dict "enabled" .Values.security.enabled)
    "jobs" (dict "shutdown-grace" (printf "%ds" (int .Values.shutdown.jobsGraceSeconds))))
  "spring" (dict
    "datasource" (dict "url" (include "deeptrain.jdbcUrl" .) "username" (include "deeptrain.databaseUser" .))
    "lifecycle" (dict "timeout-per-shutdown-phase" (printf "%ds" (int .Values.shutdown.drainSeconds))))
}}
{{- toYaml (mustMergeOverwrite (deepCopy $config) $managed) }}
{{- end }}
