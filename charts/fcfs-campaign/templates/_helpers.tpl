{{/* Names and labels. Every object is named <fullname>-<component>. */}}

{{- define "fcfs.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "fcfs.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/*
<fullname>-<component>, at most 63 characters (a DNS label: Service names, Job names, which
become label values) or the maximum given. The fullname is cut to 50 characters first, as it
always was, so names that fit stay what they were (two fullnames that share their first 50
characters share names: keep release names apart there). A name still too long for its kind
keeps the component whole and shortens the fullname further, adding a hash of the whole
fullname.
usage: include "fcfs.component" (list . "api"), include "fcfs.component" (list . "aggregator" 52)
*/}}
{{- define "fcfs.component" -}}
{{- $root := index . 0 -}}
{{- $component := index . 1 -}}
{{- $max := 63 -}}
{{- if gt (len .) 2 }}{{ $max = index . 2 }}{{ end -}}
{{- $fullname := include "fcfs.fullname" $root -}}
{{- $name := printf "%s-%s" ($fullname | trunc 50 | trimSuffix "-") $component -}}
{{- if gt (len $name) $max -}}
{{- $kept := sub $max (add (len $component) 7) | int -}}
{{- $name = printf "%s-%s-%s" ($fullname | trunc $kept | trimSuffix "-") (sha256sum $fullname | trunc 5) $component -}}
{{- end -}}
{{- $name -}}
{{- end -}}

{{/*
The CronJob controller names each Job <cronjob>-<8 digits> and the API server refuses a CronJob
name over 52 characters, so that Job names stay DNS labels.
*/}}
{{- define "fcfs.aggregatorCronJob" -}}
{{- include "fcfs.component" (list . "aggregator" 52) -}}
{{- end -}}

{{/*
The StatefulSet controller labels each pod controller-revision-hash: <name>-<hash of up to 10
characters>, a label value (63 at most): 52 characters leave room for it.
*/}}
{{- define "fcfs.consumerStatefulSet" -}}
{{- include "fcfs.component" (list . "consumer" 52) -}}
{{- end -}}

{{- define "fcfs.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ include "fcfs.name" $root }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "fcfs.labels" -}}
{{- $root := index . 0 -}}
{{ include "fcfs.selectorLabels" . }}
app.kubernetes.io/part-of: fcfs-campaign
app.kubernetes.io/version: {{ $root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "fcfs.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "fcfs.adminTokenSecret" -}}
{{- if and .Values.adminToken.value .Values.adminToken.existingSecret -}}
{{- fail "adminToken.value and adminToken.existingSecret are both set: set one (existingSecret for GitOps), or neither for a generated token" -}}
{{- end -}}
{{- if and .Values.adminToken.value (lt (len .Values.adminToken.value) 16) -}}
{{- fail (printf "adminToken.value has %d characters: the API refuses a token shorter than 16" (len .Values.adminToken.value)) -}}
{{- end -}}
{{- default (include "fcfs.component" (list . "admin-token")) .Values.adminToken.existingSecret -}}
{{- end -}}

{{- define "fcfs.databaseSecret" -}}
{{- default (include "fcfs.component" (list . "database")) .Values.database.existingSecret -}}
{{- end -}}

{{- define "fcfs.kafkaNamespace" -}}
{{- default .Release.Namespace .Values.kafka.strimzi.namespace -}}
{{- end -}}

{{- define "fcfs.topicPartitions" -}}
{{- if .Values.partitionExperiment.enabled }}{{ .Values.partitionExperiment.partitions }}{{ else }}1{{ end -}}
{{- end -}}

{{/*
The KafkaTopic object's name for a topic: the topic itself when it is a valid object name (so
existing objects keep theirs: Strimzi deletes a topic with its object), else the topic made one
(lower case, runs of other characters as "-") plus a hash of the topic, so that two topics never
share an object. usage: include "fcfs.topicResourceName" "Orders_V1"
*/}}
{{- define "fcfs.topicResourceName" -}}
{{- if regexMatch `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$` . -}}
{{- . -}}
{{- else -}}
{{- $base := regexReplaceAll `[^a-z0-9]+` (lower .) "-" | trimAll "-" -}}
{{- printf "%s-%s" (default "topic" $base) (sha256sum . | trunc 8) -}}
{{- end -}}
{{- end -}}

{{/*
A value as text, numbers as digits: YAML numbers reach templates as float64, which print
2592000000 as 2.592e+09 (Kafka refuses that for retention.ms, and no integer field parses it).
*/}}
{{- define "fcfs.scalar" -}}
{{- if and (kindIs "float64" .) (eq . (floor .)) -}}
{{- printf "%d" (int64 .) -}}
{{- else -}}
{{- toString . -}}
{{- end -}}
{{- end -}}

{{/* usage: include "fcfs.env.extra" .Values.api.env, for a map of NAME: value */}}
{{- define "fcfs.env.extra" -}}
{{- range $name, $value := . }}
- name: {{ $name }}
  value: {{ include "fcfs.scalar" $value | quote }}
{{- end }}
{{- end -}}

{{- define "fcfs.dlqTopic" -}}
{{- default (printf "%s-dlq" .Values.config.topic) .Values.config.dlqTopic -}}
{{- end -}}

{{/* Pod-level settings every deployable shares: no API token, and fcfs.podSecurity. */}}
{{- define "fcfs.podSpecCommon" -}}
automountServiceAccountToken: false
{{ include "fcfs.podSecurity" . }}
{{- end -}}

{{/*
Whether the API hands aggregations to the operator as AggregationRun objects ("true" or ""): it
takes the CronJob to make the Job from, and the operator to make it.
*/}}
{{- define "fcfs.api.createsRuns" -}}
{{- if and .Values.aggregator.enabled .Values.aggregator.runThroughKubernetesApi .Values.operator.enabled -}}true{{- end -}}
{{- end -}}

{{/* Whether the API calls the Kubernetes API at all: AggregationRuns, or the KafkaTopic's partitions. */}}
{{- define "fcfs.api.callsKubernetes" -}}
{{- if or (include "fcfs.api.createsRuns" .) .Values.kafka.strimzi.enabled -}}true{{- end -}}
{{- end -}}

{{/* The pod security context and pull secrets, for pods that set their own token mount. */}}
{{- define "fcfs.podSecurity" -}}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* A writable /tmp: the root file system is read-only. */}}
{{- define "fcfs.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- end -}}

{{- define "fcfs.tmpMount" -}}
- name: tmp
  mountPath: /tmp
{{- end -}}

{{- define "fcfs.podAnnotations" -}}
{{- with .Values.podAnnotations }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/*
The migration hook runs before the release's own objects exist, so a chart-managed password
reaches it through a hook Secret of its own.
*/}}
{{- define "fcfs.migrationsDatabaseSecret" -}}
{{- default (include "fcfs.component" (list . "migrations-db")) .Values.database.existingSecret -}}
{{- end -}}

{{/*
A ServiceMonitor for one component's Service: (list . "<component>" "<Service port name>").
The component label is set on every target because a ServiceMonitor scrape overwrites the
process's own service label with the Kubernetes Service's name (moving it to exported_service):
the dashboards and alerts select by component, whatever the release is called.
*/}}
{{- define "fcfs.serviceMonitor" -}}
{{- $root := index . 0 -}}
{{- $component := index . 1 -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "fcfs.component" (list $root $component) }}
  labels:
    {{- include "fcfs.labels" (list $root $component) | nindent 4 }}
    {{- with $root.Values.monitoring.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "fcfs.selectorLabels" (list $root $component) | nindent 6 }}
  endpoints:
    - port: {{ index . 2 }}
      path: /metrics
      interval: {{ $root.Values.monitoring.serviceMonitor.interval }}
      relabelings:
        - targetLabel: component
          replacement: {{ $component }}
{{- end }}
