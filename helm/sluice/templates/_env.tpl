{{/*
The environment of one service (dict: root, name, facts): the same variables as the local run, each connection's
security from values, every secret by reference (secretKeyRef or a mounted file).
*/}}
{{- define "sluice.env" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $facts := .facts -}}
- name: SLUICE_LOCAL_MODE
  value: "false"
- name: KAFKA_BOOTSTRAP_SERVERS
  value: {{ $v.kafka.bootstrapServers | quote }}
- name: SPRING_KAFKA_BOOTSTRAPSERVERS
  value: {{ $v.kafka.bootstrapServers | quote }}
{{- if ne $v.kafka.securityProtocol "PLAINTEXT" }}
- name: SLUICE_RUNTIME_KAFKA_SECURITY_PROTOCOL
  value: {{ $v.kafka.securityProtocol | quote }}
{{- end }}
{{- if eq (include "sluice.kafkaSasl" $root) "true" }}
- name: SLUICE_RUNTIME_KAFKA_SASL_MECHANISM
  value: {{ $v.kafka.sasl.mechanism | quote }}
{{- if eq $v.kafka.sasl.mechanism "OAUTHBEARER" }}
- name: KAFKA_OAUTH_CLIENT_ID
  valueFrom:
    secretKeyRef: {name: {{ $v.kafka.sasl.existingSecret | quote }}, key: {{ $v.kafka.sasl.oauthbearer.clientIdKey | quote }}}
- name: KAFKA_OAUTH_CLIENT_SECRET
  valueFrom:
    secretKeyRef: {name: {{ $v.kafka.sasl.existingSecret | quote }}, key: {{ $v.kafka.sasl.oauthbearer.clientSecretKey | quote }}}
- name: SLUICE_RUNTIME_KAFKA_SASL_OAUTHBEARER_TOKEN_ENDPOINT_URL
  value: {{ $v.kafka.sasl.oauthbearer.tokenEndpointUrl | quote }}
- name: SLUICE_RUNTIME_KAFKA_SASL_LOGIN_CALLBACK_HANDLER_CLASS
  value: org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginCallbackHandler
- name: SLUICE_RUNTIME_KAFKA_SASL_JAAS_CONFIG
  value: {{ printf "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientId=\"$(KAFKA_OAUTH_CLIENT_ID)\" clientSecret=\"$(KAFKA_OAUTH_CLIENT_SECRET)\"%s;" (ternary (printf " scope=\"%s\"" $v.kafka.sasl.oauthbearer.scope) "" (ne $v.kafka.sasl.oauthbearer.scope "")) | quote }}
# Kafka 4 calls only the token endpoints it is told it may
- name: JDK_JAVA_OPTIONS
  value: {{ printf "-Dorg.apache.kafka.sasl.oauthbearer.allowed.urls=%s" $v.kafka.sasl.oauthbearer.tokenEndpointUrl | quote }}
{{- else }}
- name: KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef: {name: {{ $v.kafka.sasl.existingSecret | quote }}, key: {{ $v.kafka.sasl.usernameKey | quote }}}
- name: KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ $v.kafka.sasl.existingSecret | quote }}, key: {{ $v.kafka.sasl.passwordKey | quote }}}
- name: SLUICE_RUNTIME_KAFKA_SASL_JAAS_CONFIG
  value: 'org.apache.kafka.common.security.scram.ScramLoginModule required username="$(KAFKA_SASL_USERNAME)" password="$(KAFKA_SASL_PASSWORD)";'
{{- end }}
{{- end }}
{{- if eq (include "sluice.kafkaTls" $root) "true" }}
- name: SLUICE_RUNTIME_KAFKA_SSL_TRUSTSTORE_TYPE
  value: PEM
- name: SLUICE_RUNTIME_KAFKA_SSL_TRUSTSTORE_LOCATION
  value: {{ printf "/etc/sluice/kafka-tls/%s" $v.kafka.tls.caKey | quote }}
{{- end }}
{{- if ne .name "registry" }}
- name: SCHEMA_REGISTRY_URL
  value: {{ include "sluice.registryUrl" $root | quote }}
- name: SCHEMA_REGISTRY_USER_INFO
  valueFrom:
    secretKeyRef: {name: {{ $v.registryAuth.existingSecret | quote }}, key: {{ $v.registryAuth.userInfoKey | quote }}, optional: true}
{{- else }}
- name: SCHEMA_REGISTRY_USER
  valueFrom:
    secretKeyRef: {name: {{ $v.registryAuth.existingSecret | quote }}, key: {{ $v.registryAuth.userKey | quote }}}
- name: SCHEMA_REGISTRY_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ $v.registryAuth.existingSecret | quote }}, key: {{ $v.registryAuth.passwordKey | quote }}}
{{- end }}
{{- with $v.security.jwt.issuerUri }}
- name: SLUICE_SECURITY_JWT_ISSUER_URI
  value: {{ . | quote }}
{{- end }}
{{- with $v.security.jwt.jwkSetUri }}
- name: SLUICE_SECURITY_JWT_JWK_SET_URI
  value: {{ . | quote }}
{{- end }}
- name: SLUICE_SECURITY_JWT_ROLES_CLAIM
  value: {{ $v.security.jwt.rolesClaim | quote }}
{{- if $facts.cassandra }}
- name: CASSANDRA_CONTACT_POINTS
  value: {{ $v.cassandra.contactPoints | quote }}
- name: CASSANDRA_LOCAL_DATACENTER
  value: {{ $v.cassandra.localDatacenter | quote }}
{{- with $v.cassandra.auth.existingSecret }}
- name: SPRING_CASSANDRA_USERNAME
  valueFrom:
    secretKeyRef: {name: {{ . | quote }}, key: {{ $v.cassandra.auth.usernameKey | quote }}}
- name: SPRING_CASSANDRA_PASSWORD
  valueFrom:
    secretKeyRef: {name: {{ . | quote }}, key: {{ $v.cassandra.auth.passwordKey | quote }}}
{{- end }}
{{- if $v.cassandra.tls.enabled }}
- name: SPRING_CASSANDRA_SSL_ENABLED
  value: "true"
{{- if $v.cassandra.tls.existingSecret }}
- name: SPRING_CASSANDRA_SSL_BUNDLE
  value: cassandra
- name: SPRING_SSL_BUNDLE_PEM_CASSANDRA_TRUSTSTORE_CERTIFICATE
  value: {{ printf "file:/etc/sluice/cassandra-tls/%s" $v.cassandra.tls.caKey | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- if or $facts.s3 $facts.spark }}
- name: AWS_REGION
  value: {{ $v.s3.region | quote }}
- name: S3_REGION
  value: {{ $v.s3.region | quote }}
{{- with $v.s3.endpoint }}
- name: S3_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- if and (eq .name "privacy") $v.s3.pathStyleAccess }}
- name: SLUICE_PRIVACY_S3_PATHSTYLEACCESS
  value: "true"
{{- end }}
{{- with $v.s3.credentials.existingSecret }}
- name: S3_ACCESS_KEY
  valueFrom:
    secretKeyRef: {name: {{ . | quote }}, key: {{ $v.s3.credentials.accessKeyKey | quote }}}
- name: S3_SECRET_KEY
  valueFrom:
    secretKeyRef: {name: {{ . | quote }}, key: {{ $v.s3.credentials.secretKeyKey | quote }}}
{{- end }}
- name: SLUICE_LAKE_TIER0
  value: {{ $v.lake.tierZero | quote }}
- name: SLUICE_LAKE_TIER1
  value: {{ $v.lake.tierOne | quote }}
- name: SLUICE_EXPORTS_BUCKET
  value: {{ $v.lake.exportsBucket | quote }}
- name: SLUICE_LEGAL_HOLD
  value: {{ $v.lake.legalHold | quote }}
{{- end }}
{{- if eq .name "governance" }}
# the IAM policies it writes for each reservoir's team name the lake's bucket, region and account
- name: SLUICE_LAKE_BUCKET
  value: {{ regexReplaceAll "^s3a://([^/]+).*$" $v.lake.tierOne "${1}" | quote }}
- name: AWS_REGION
  value: {{ $v.s3.region | quote }}
{{- with $v.lake.awsAccountId }}
- name: AWS_ACCOUNT_ID
  value: {{ . | quote }}
{{- end }}
{{- end }}
{{- if eq .name "console" }}
# the console calls these two as the signed-in user; its session cookie only over TLS
- name: GOVERNANCE_URL
  value: {{ printf "http://%s:8086" (include "sluice.componentName" (dict "root" $root "name" "governance")) | quote }}
- name: PRIVACY_URL
  value: {{ printf "http://%s:8087" (include "sluice.componentName" (dict "root" $root "name" "privacy")) | quote }}
- name: SLUICE_CONSOLE_SECURE_COOKIE
  value: {{ $v.console.secureCookie | quote }}
- name: SLUICE_CONSOLE_TIERONE
  value: {{ regexReplaceAll "^s3a://" $v.lake.tierOne "s3://" | quote }}
{{- with $v.console.oidc.existingSecret }}
# OpenID Connect sign-in with the identity provider that issues the services' tokens; the user's access token is
# relayed to the services
- name: SPRING_SECURITY_OAUTH2_CLIENT_PROVIDER_SLUICE_ISSUERURI
  value: {{ required "console.oidc needs security.jwt.issuerUri (the identity provider)" $v.security.jwt.issuerUri | quote }}
- name: SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_SLUICE_PROVIDER
  value: sluice
- name: SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_SLUICE_CLIENTNAME
  value: {{ $v.console.oidc.clientName | quote }}
- name: SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_SLUICE_SCOPE
  value: {{ $v.console.oidc.scopes | quote }}
- name: SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_SLUICE_CLIENTID
  valueFrom:
    secretKeyRef: {name: {{ . | quote }}, key: {{ $v.console.oidc.clientIdKey | quote }}}
- name: SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_SLUICE_CLIENTSECRET
  valueFrom:
    secretKeyRef: {name: {{ . | quote }}, key: {{ $v.console.oidc.clientSecretKey | quote }}}
{{- end }}
{{- end }}
{{- if $facts.masterKey }}
- name: SLUICE_MASTER_KEY_FILE
  value: {{ printf "/etc/sluice/master-key/%s" $v.masterKey.key | quote }}
{{- end }}
{{- if $facts.spark }}
{{- $job := $facts.jobPrefix }}
- name: {{ $job }}_LOGS
  value: /tmp/runs
{{- if eq $v.spark.mode "kubernetes" }}
- name: {{ $job }}_LAUNCHER
  value: spark-submit
- name: {{ $job }}_SPARKSUBMIT
  value: {{ printf "/opt/spark/bin/spark-submit,--master,%s,--deploy-mode,cluster,--properties-file,/etc/sluice/spark/spark.properties" $v.spark.master | quote }}
- name: {{ $job }}_JAR
  value: local:///opt/sluice/job/lake-jobs.jar
{{- else }}
- name: {{ $job }}_LAUNCHER
  value: local
- name: {{ $job }}_DIR
  value: /opt/sluice/job
{{- end }}
{{- with $v.s3.endpoint }}
- name: {{ $job }}_HADOOP_FS_S3A_ENDPOINT
  value: {{ . | quote }}
{{- end }}
- name: {{ $job }}_HADOOP_FS_S3A_ENDPOINT_REGION
  value: {{ $v.s3.region | quote }}
- name: {{ $job }}_HADOOP_FS_S3A_PATH_STYLE_ACCESS
  value: {{ $v.s3.pathStyleAccess | quote }}
{{- if not $v.s3.credentials.existingSecret }}
- name: {{ $job }}_HADOOP_FS_S3A_AWS_CREDENTIALS_PROVIDER
  value: software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider
{{- end }}
{{- end }}
{{- range $name, $value := .component.env }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end }}
