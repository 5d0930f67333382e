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
  value: {{ include "fcfs.scalar" .Values.config.aggregationRetentionDays | quote }}
- name: AGGREGATION_STALE_AFTER_MS
  value: {{ include "fcfs.scalar" .Values.config.aggregationStaleAfterMs | quote }}
- name: AGGREGATION_DECIDED_MARGIN_MS
  value: {{ include "fcfs.scalar" .Values.config.aggregationDecidedMarginMs | quote }}
- name: AGGREGATION_CATCH_UP_DAYS
  value: {{ include "fcfs.scalar" .Values.config.aggregationCatchUpDays | quote }}
{{ include "fcfs.env.database" (list . (include "fcfs.databaseSecret" .)) }}
{{- include "fcfs.env.extra" .Values.config.extraEnv }}
{{- end -}}

{{/* usage: include "fcfs.env.database" (list . secretName) */}}
{{- define "fcfs.env.database" -}}
{{- $secret := index . 1 -}}
{{- with index . 0 -}}
{{- if not (or .Values.database.password .Values.database.existingSecret) -}}
{{- fail "database.password or database.existingSecret is required: the password the applications connect with (kept in a Secret of the chart's), or the name of a Secret of your own that holds it under database.existingSecretKey" -}}
{{- end -}}
- name: DB_HOST
  value: {{ .Values.database.host | quote }}
- name: DB_PORT
  value: {{ include "fcfs.scalar" .Values.database.port | quote }}
- name: DB_NAME
  value: {{ .Values.database.name | quote }}
- name: DB_USER
  value: {{ .Values.database.user | quote }}
- name: DB_POOL_MAX
  value: {{ include "fcfs.scalar" .Values.database.poolMax | quote }}
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
  value: {{ printf "%s-kafka-bootstrap.%s.svc:%s" .Values.kafka.strimzi.clusterName (include "fcfs.kafkaNamespace" .) (include "fcfs.scalar" .Values.kafka.strimzi.listenerPort) | quote }}
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
  value: {{ include "fcfs.scalar" .Values.api.port | quote }}
- name: SHUTDOWN_TIMEOUT_MS
  value: {{ include "fcfs.scalar" .Values.api.shutdownTimeoutMs | quote }}
- name: ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "fcfs.adminTokenSecret" . }}
      key: {{ .Values.adminToken.existingSecretKey }}
- name: RATE_LIMIT_ENABLED
  value: {{ .Values.api.rateLimit.enabled | quote }}
- name: RATE_LIMIT_USER_PER_SEC
  value: {{ include "fcfs.scalar" .Values.api.rateLimit.userPerSec | quote }}
- name: RATE_LIMIT_USER_BURST
  value: {{ include "fcfs.scalar" .Values.api.rateLimit.userBurst | quote }}
{{- if .Values.api.rateLimit.addressEnabled }}
- name: RATE_LIMIT_ADDRESS_PER_SEC
  value: {{ include "fcfs.scalar" .Values.api.rateLimit.addressPerSec | quote }}
- name: RATE_LIMIT_ADDRESS_BURST
  value: {{ include "fcfs.scalar" .Values.api.rateLimit.addressBurst | quote }}
{{- else }}
{{- /* The API has no switch for this bucket alone: its largest values are more than a replica serves. */}}
- name: RATE_LIMIT_ADDRESS_PER_SEC
  value: "1000000"
- name: RATE_LIMIT_ADDRESS_BURST
  value: "1000000"
{{- end }}
- name: TRUST_PROXY
  value: {{ include "fcfs.scalar" .Values.api.trustProxy | quote }}
{{- if include "fcfs.api.createsRuns" . }}
- name: AGGREGATION_RUNNER
  value: aggregation-run
{{- /* Runs, and so their Jobs, are named like the CronJob's: <cronjob>-m<time>. */}}
- name: AGGREGATION_RUN_PREFIX
  value: {{ include "fcfs.aggregatorCronJob" . | quote }}
- name: POD_NAMESPACE
  valueFrom:
    fieldRef: {fieldPath: metadata.namespace}
{{- end }}
{{- if .Values.kafka.strimzi.enabled }}
- name: KAFKA_TOPIC_RESOURCE
  value: {{ include "fcfs.topicResourceName" .Values.config.topic | quote }}
- name: KAFKA_TOPIC_RESOURCE_NAMESPACE
  value: {{ include "fcfs.kafkaNamespace" . | quote }}
{{- end }}
{{- include "fcfs.env.extra" .Values.api.env }}
{{- end -}}

{{- define "fcfs.env.consumer" -}}
{{ include "fcfs.env.common" . }}
{{ include "fcfs.env.kafka" . }}
- name: HOST
  value: "0.0.0.0"
- name: METRICS_PORT
  value: {{ include "fcfs.scalar" .Values.consumer.metricsPort | quote }}
- name: CONSUMER_MAX_BATCH
  value: {{ include "fcfs.scalar" .Values.consumer.maxBatch | quote }}
- name: CONSUMER_ALLOW_MULTIPLE_PARTITIONS
  value: {{ .Values.partitionExperiment.enabled | quote }}
- name: CONSUMER_PARTITIONS_CONCURRENTLY
  value: {{ include "fcfs.topicPartitions" . | quote }}
- name: SHUTDOWN_TIMEOUT_MS
  value: {{ include "fcfs.scalar" .Values.consumer.shutdownTimeoutMs | quote }}
{{- include "fcfs.env.extra" .Values.consumer.env }}
{{- end -}}

{{- define "fcfs.env.aggregator" -}}
{{ include "fcfs.env.common" . }}
{{- include "fcfs.env.extra" .Values.aggregator.env }}
{{- end -}}

{{- define "fcfs.env.operator" -}}
{{ include "fcfs.env.common" . }}
- name: HOST
  value: "0.0.0.0"
- name: METRICS_PORT
  value: {{ include "fcfs.scalar" .Values.operator.metricsPort | quote }}
- name: OPERATOR_NAMESPACE
  value: {{ .Release.Namespace | quote }}
- name: OPERATOR_LEASE_NAME
  value: {{ include "fcfs.component" (list . "operator") | quote }}
- name: OPERATOR_IDENTITY
  valueFrom:
    fieldRef: {fieldPath: metadata.name}
- name: OPERATOR_LEASE_DURATION_S
  value: {{ include "fcfs.scalar" .Values.operator.leaseDurationSeconds | quote }}
- name: OPERATOR_STATUS_INTERVAL_MS
  value: {{ include "fcfs.scalar" .Values.operator.statusIntervalMs | quote }}
{{- if .Values.api.autoscaling.enabled }}
- name: OPERATOR_API_HPA
  value: {{ include "fcfs.component" (list . "api") | quote }}
- name: OPERATOR_API_HPA_FLOOR
  value: {{ include "fcfs.scalar" .Values.api.autoscaling.minReplicas | quote }}
{{- end }}
{{- if .Values.aggregator.enabled }}
- name: OPERATOR_AGGREGATION_CRONJOB
  value: {{ include "fcfs.aggregatorCronJob" . | quote }}
{{- end }}
{{- include "fcfs.env.extra" .Values.operator.env }}
{{- end -}}

{{- define "fcfs.env.migrations" -}}
- name: LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
{{ include "fcfs.env.database" (list . (include "fcfs.migrationsDatabaseSecret" .)) }}
{{- end -}}
