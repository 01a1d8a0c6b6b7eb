{{/*
The facts of each service that values do not change: its image, port, workload kind, what it connects to, which
topic's partitions bound its consumers, and which Sluice services call it.
*/}}
{{- define "sluice.catalogOfComponents" -}}
registry:
  image: schema-registry
  port: 8081
  kind: Deployment
  cassandra: false
  s3: false
  masterKey: false
  spark: false
  callers: [gatekeeper, dedup, datapump, governance, privacy, catalog, spark]
  api: true
gatekeeper:
  image: gatekeeper-service
  port: 8082
  # a stable pod name is the Kafka transactional id: a restarted pod fences its previous incarnation
  kind: StatefulSet
  cassandra: false
  s3: false
  masterKey: false
  spark: false
  partitions: raw
  callers: []
  api: false
dedup:
  image: dedup-service
  port: 8083
  kind: Deployment
  cassandra: true
  s3: false
  masterKey: true
  spark: false
  partitions: valid
  callers: []
  api: false
datapump:
  image: datapump-service
  port: 8084
  kind: Deployment
  cassandra: true
  s3: false
  masterKey: true
  spark: true
  jobPrefix: SLUICE_DATAPUMP_JOB
  callers: []
  api: false
catalog:
  image: catalog-service
  port: 8085
  # the file catalog on its own volume
  kind: StatefulSet
  cassandra: false
  s3: true
  masterKey: false
  spark: false
  callers: []
  api: false
governance:
  image: governance-service
  port: 8086
  kind: Deployment
  cassandra: true
  s3: false
  masterKey: false
  spark: false
  callers: [console]
  api: true
privacy:
  image: privacy-requests-service
  port: 8087
  kind: Deployment
  # never an old and a new version at once: at its first start a version may move the index's tables (EntityIndex),
  # and an older instance still writing the old ones would lose what it wrote during the move
  strategy: Recreate
  cassandra: true
  s3: true
  masterKey: true
  spark: true
  jobPrefix: SLUICE_PRIVACY_JOB
  partitions: valid
  callers: [console]
  api: true
console:
  image: console
  port: 8088
  kind: Deployment
  cassandra: false
  s3: false
  masterKey: false
  spark: false
  callers: []
  api: true
{{- end }}

{{- define "sluice.components" -}}
{{- fromYaml (include "sluice.catalogOfComponents" .) | toJson -}}
{{- end }}

{{- define "sluice.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end }}

{{/* <fullname>-<component>; dict: root, name */}}
{{- define "sluice.componentName" -}}
{{- printf "%s-%s" (include "sluice.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "sluice.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sluice
{{- end }}

{{/* dict: root, name */}}
{{- define "sluice.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{- define "sluice.serviceAccountName" -}}
{{- default (include "sluice.fullname" .) .Values.serviceAccount.name -}}
{{- end }}

{{- define "sluice.sparkServiceAccountName" -}}
{{- default (printf "%s-spark" (include "sluice.fullname" .)) .Values.spark.serviceAccount.name -}}
{{- end }}

{{/* dict: root, image (name) */}}
{{- define "sluice.image" -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .image (default .root.Chart.AppVersion .root.Values.image.tag) -}}
{{- end }}

{{- define "sluice.registryUrl" -}}
{{- printf "http://%s:8081" (include "sluice.componentName" (dict "root" . "name" "registry")) -}}
{{- end }}

{{- define "sluice.kafkaSasl" -}}
{{- has .Values.kafka.securityProtocol (list "SASL_PLAINTEXT" "SASL_SSL") -}}
{{- end }}

{{- define "sluice.kafkaTls" -}}
{{- if and (has .Values.kafka.securityProtocol (list "SSL" "SASL_SSL")) .Values.kafka.tls.existingSecret -}}
true
{{- end -}}
{{- end }}
