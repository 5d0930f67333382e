{{/*
The one place where values become the applications' environment variables. A renamed variable
is a one-line change here. Values are quoted: every environment variable is a string.
*/}}

{{- define "fcfs.env.common" -}}
- name: LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
- name: STATS_TIME_ZONE
  value: {{ .Values.config.statsTimeZone | quote }}
- name: AGGREGATION_RETENTION_DAYS
  value: {{ .Values.config.aggregationRetentionDays | quote }}
- name: AGGREGATION_STALE_AFTER_MS
  value: {{ .Values.config.aggregationStaleAfterMs | quote }}
{{ include "fcfs.env.database" (list . (include "fcfs.databaseSecret" .)) }}
{{- range $name, $value := .Values.config.extraEnv }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* usage: include "fcfs.env.database" (list . secretName) */}}
{{- define "fcfs.env.database" -}}
{{- $secret := index . 1 -}}
{{- with index . 0 -}}
- name: DB_HOST
  value: {{ .Values.database.host | quote }}
- name: DB_PORT
  value: {{ .Values.database.port | quote }}
- name: DB_NAME
  value: {{ .Values.database.name | quote }}
- name: DB_USER
  value: {{ .Values.database.user | quote }}
- name: DB_POOL_MAX
  value: {{ .Values.database.poolMax | quote }}
- name: DB_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $secret }}
      key: {{ .Values.database.existingSecretKey }}
{{- end -}}
{{- end -}}

{{- define "fcfs.env.kafka" -}}
- name: KAFKA_BROKERS
  {{- if .Values.kafka.strimzi.enabled }}
  value: {{ printf "%s-kafka-bootstrap.%s.svc:%v" .Values.kafka.strimzi.clusterName (include "fcfs.kafkaNamespace" .) .Values.kafka.strimzi.listenerPort | quote }}
  {{- else }}
  value: {{ .Values.kafka.bootstrapServers | quote }}
  {{- end }}
- name: KAFKA_CLIENT_ID
  value: {{ include "fcfs.fullname" . | quote }}
- name: KAFKA_TOPIC
  value: {{ .Values.config.topic | quote }}
- name: KAFKA_DLQ_TOPIC
  value: {{ include "fcfs.dlqTopic" . | quote }}
- name: KAFKA_TOPIC_PARTITIONS
  value: {{ include "fcfs.topicPartitions" . | quote }}
{{- with .Values.config.consumerGroup }}
- name: CONSUMER_GROUP
  value: {{ . | quote }}
{{- end }}
{{- end -}}

{{- define "fcfs.env.api" -}}
{{ include "fcfs.env.common" . }}
{{ include "fcfs.env.kafka" . }}
- name: HOST
  value: "0.0.0.0"
- name: PARTITION_KEY
  value: {{ ternary .Values.partitionExperiment.partitionKey "user" .Values.partitionExperiment.enabled | quote }}
- name: PORT
  value: {{ .Values.api.port | quote }}
- name: SHUTDOWN_TIMEOUT_MS
  value: {{ .Values.api.shutdownTimeoutMs | quote }}
- name: ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "fcfs.adminTokenSecret" . }}
      key: {{ .Values.adminToken.existingSecretKey }}
- name: RATE_LIMIT_ENABLED
  value: {{ .Values.api.rateLimit.enabled | quote }}
- name: RATE_LIMIT_USER_PER_SEC
  value: {{ .Values.api.rateLimit.userPerSec | quote }}
- name: RATE_LIMIT_USER_BURST
  value: {{ .Values.api.rateLimit.userBurst | quote }}
{{- if .Values.api.rateLimit.addressEnabled }}
- name: RATE_LIMIT_ADDRESS_PER_SEC
  value: {{ .Values.api.rateLimit.addressPerSec | quote }}
- name: RATE_LIMIT_ADDRESS_BURST
  value: {{ .Values.api.rateLimit.addressBurst | quote }}
{{- else }}
{{- /* The API has no switch for this bucket alone: its largest values are more than a replica serves. */}}
- name: RATE_LIMIT_ADDRESS_PER_SEC
  value: "1000000"
- name: RATE_LIMIT_ADDRESS_BURST
  value: "1000000"
{{- end }}
- name: TRUST_PROXY
  value: {{ .Values.api.trustProxy | quote }}
{{- if include "fcfs.api.createsJobs" . }}
- name: AGGREGATION_RUNNER
  value: kubernetes-job
- name: AGGREGATION_CRONJOB
  value: {{ include "fcfs.component" (list . "aggregator") | quote }}
- name: POD_NAMESPACE
  valueFrom:
    fieldRef: {fieldPath: metadata.namespace}
{{- end }}
{{- if .Values.kafka.strimzi.enabled }}
- name: KAFKA_TOPIC_RESOURCE
  value: {{ .Values.config.topic | quote }}
- name: KAFKA_TOPIC_RESOURCE_NAMESPACE
  value: {{ include "fcfs.kafkaNamespace" . | quote }}
{{- end }}
{{- range $name, $value := .Values.api.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{- define "fcfs.env.consumer" -}}
{{ include "fcfs.env.common" . }}
{{ include "fcfs.env.kafka" . }}
- name: HOST
  value: "0.0.0.0"
- name: METRICS_PORT
  value: {{ .Values.consumer.metricsPort | quote }}
- name: CONSUMER_MAX_BATCH
  value: {{ .Values.consumer.maxBatch | quote }}
- name: CONSUMER_ALLOW_MULTIPLE_PARTITIONS
  value: {{ .Values.partitionExperiment.enabled | quote }}
- name: CONSUMER_PARTITIONS_CONCURRENTLY
  value: {{ include "fcfs.topicPartitions" . | quote }}
- name: SHUTDOWN_TIMEOUT_MS
  value: {{ .Values.consumer.shutdownTimeoutMs | quote }}
{{- range $name, $value := .Values.consumer.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{- define "fcfs.env.aggregator" -}}
{{ include "fcfs.env.common" . }}
{{- range $name, $value := .Values.aggregator.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{- define "fcfs.env.operator" -}}
{{ include "fcfs.env.common" . }}
- name: HOST
  value: "0.0.0.0"
- name: METRICS_PORT
  value: {{ .Values.operator.metricsPort | quote }}
- name: OPERATOR_NAMESPACE
  value: {{ .Release.Namespace | quote }}
- name: OPERATOR_LEASE_NAME
  value: {{ include "fcfs.component" (list . "operator") | quote }}
- name: OPERATOR_IDENTITY
  valueFrom:
    fieldRef: {fieldPath: metadata.name}
- name: OPERATOR_LEASE_DURATION_S
  value: {{ .Values.operator.leaseDurationSeconds | quote }}
- name: OPERATOR_STATUS_INTERVAL_MS
  value: {{ .Values.operator.statusIntervalMs | quote }}
{{- range $name, $value := .Values.operator.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{- define "fcfs.env.migrations" -}}
- name: LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
{{ include "fcfs.env.database" (list . (include "fcfs.migrationsDatabaseSecret" .)) }}
{{- end -}}
