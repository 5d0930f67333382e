{{/* The k6 load test: which runner renders, and the environment both runners give k6. */}}

{{/* "testRun" or "job": auto picks the k6-operator TestRun when the cluster serves its API. */}}
{{- define "fcfs.loadtest.runner" -}}
{{- $runner := .Values.loadtest.runner -}}
{{- if eq $runner "auto" -}}
{{- ternary "testRun" "job" (.Capabilities.APIVersions.Has "k6.io/v1alpha1/TestRun") -}}
{{- else -}}
{{- $runner -}}
{{- end -}}
{{- end -}}

{{/*
Named by loadtest.runId, not by the revision: an upgrade that keeps the runId renders the same
run and starts nothing. 51 characters at most: the k6-operator names the TestRun's initializer
Job <name>-initializer, a DNS label.
*/}}
{{- define "fcfs.loadtest.runName" -}}
{{- if not .Values.loadtest.runId -}}
{{- fail "loadtest.runId is required with loadtest.enabled: it names the run. An upgrade that keeps it starts nothing; a new one (e.g. --set loadtest.runId=rush-2) starts a new run" -}}
{{- end -}}
{{- include "fcfs.component" (list . (printf "loadtest-%s" .Values.loadtest.runId) 51) -}}
{{- end -}}

{{- define "fcfs.loadtest.env" -}}
- name: BASE_URL
  value: {{ printf "http://%s.%s.svc.%s:%s" (include "fcfs.component" (list . "api")) .Release.Namespace .Values.clusterDomain (include "fcfs.scalar" .Values.api.service.port) | quote }}
- name: ADMIN_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ include "fcfs.adminTokenSecret" . }}
      key: {{ .Values.adminToken.existingSecretKey }}
{{- /* the pod log is the JSON summary; k6's own output goes to stderr with --quiet */}}
- name: SUMMARY_FILE
  value: stdout
{{- /* no call home from inside the cluster */}}
- name: K6_NO_USAGE_REPORT
  value: "true"
{{- include "fcfs.env.extra" .Values.loadtest.env }}
{{- end -}}
