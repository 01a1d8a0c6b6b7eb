package dev.sluice.registry;

import dev.sluice.registry.RegistryProperties.SubjectCompatibility;
import dev.sluice.registry.compatibility.CompatibilityChecker;
import dev.sluice.registry.compatibility.CompatibilityLevel;
import dev.sluice.registry.privacy.PrivacyContract;
import dev.sluice.registry.privacy.PrivacyMode;
import dev.sluice.registry.privacy.SubjectRule;
import dev.sluice.registry.storage.LogRecord;
import dev.sluice.registry.storage.Mode;
import dev.sluice.registry.storage.RegistryState;
import dev.sluice.registry.storage.SchemaLog;
import dev.sluice.registry.storage.SchemaLog.Decision;
import dev.sluice.registry.storage.SchemaVersion;
import dev.sluice.registry.storage.StoredSchema;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.springframework.stereotype.Service;

/** The registry's operations, with Confluent's semantics, on the state the {@link SchemaLog} keeps. */
@Service
public class SchemaRegistry {

    private final SchemaLog log;
    private final PrivacyContract contract;
    private final RegistryProperties properties;
    private final MeterRegistry meters;
    private final SchemaAdmission admission;

    SchemaRegistry(SchemaLog log, PrivacyContract contract, RegistryProperties properties, MeterRegistry meters) {
        this.admission = new SchemaAdmission(properties.maxSchemaDepth(), properties.maxEnumSymbols());
        this.log = log;
        this.contract = contract;
        this.properties = properties;
        this.meters = meters;
    }

    /** The answer to a registration: the global id, the subject's version, and any privacy findings (warn mode). */
    public record Registration(int id, int version, List<String> privacyFindings) {
    }

    /** A subject version together with its schema. */
    public record VersionedSchema(SchemaVersion version, StoredSchema schema) {
    }

    public Registration register(String subject, String schemaText, String schemaType) {
        Schema parsed = parse(schemaText, schemaType);
        List<String> findings = List.of();
        PrivacyMode mode = contract.mode(subject);
        if (mode != PrivacyMode.OFF) {
            findings = contract.findings(subject, parsed);
            if (!findings.isEmpty() && mode == PrivacyMode.ENFORCE) {
                meters.counter("registry.registrations", "outcome", "privacy_refused").increment();
                throw new RegistryError(422, 42201, "Invalid schema: the privacy contract of subject '" + subject
                        + "' is not met: " + String.join("; ", findings), findings);
            }
        }
        String canonical = parsed.toString();
        List<String> warnings = findings;
        Registration registration = log.write(state -> {
            if (state.mode() == Mode.READONLY) {
                throw RegistryError.readOnly(subject);
            }
            List<SchemaVersion> live = state.versions(subject, false);
            Optional<Integer> knownId = state.idOf(canonical);
            for (SchemaVersion version : live) {
                if (knownId.isPresent() && version.id() == knownId.get()) {
                    return Decision.answer(new Registration(version.id(), version.version(), warnings));
                }
            }
            List<String> reasons = CompatibilityChecker.incompatibilities(level(state, subject), parsed,
                    live.stream().map(v -> state.schema(v.id()).orElseThrow().parsed()).toList());
            if (!reasons.isEmpty()) {
                meters.counter("registry.registrations", "outcome", "incompatible").increment();
                throw new RegistryError(409, 409, "Schema being registered is incompatible with an earlier schema for"
                        + " subject \"" + subject + "\", details: " + reasons, reasons);
            }
            int id = knownId.orElseGet(() -> state.highestId() + 1);
            int version = state.highestVersion(subject) + 1;
            List<LogRecord> records = new ArrayList<>();
            records.add(RegistryState.schemaRecord(subject, version, id, schemaText, false));
            if (knownId.isEmpty()) {
                records.add(RegistryState.idWatermarkRecord(id));
            }
            return new Decision<>(records, new Registration(id, version, warnings));
        });
        meters.counter("registry.registrations", "outcome", "registered").increment();
        return registration;
    }

    public VersionedSchema lookup(String subject, String schemaText, String schemaType, boolean includeDeleted) {
        Schema parsed = parse(schemaText, schemaType);
        RegistryState state = log.state();
        List<SchemaVersion> versions = state.versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        Optional<Integer> id = state.idOf(parsed.toString());
        for (int i = versions.size() - 1; i >= 0; i--) {
            SchemaVersion version = versions.get(i);
            if (id.isPresent() && version.id() == id.get()) {
                return new VersionedSchema(version, state.schema(version.id()).orElseThrow());
            }
        }
        throw RegistryError.schemaNotFound("in subject '" + subject + "'");
    }

    public List<String> subjects(boolean includeDeleted) {
        return log.state().subjects(includeDeleted);
    }

    public List<Integer> versions(String subject, boolean includeDeleted) {
        List<SchemaVersion> versions = log.state().versions(subject, includeDeleted);
        if (versions.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        return versions.stream().map(SchemaVersion::version).toList();
    }

    public VersionedSchema version(String subject, String version, boolean includeDeleted) {
        RegistryState state = log.state();
        SchemaVersion found = find(state, subject, version, includeDeleted);
        return new VersionedSchema(found, state.schema(found.id()).orElseThrow());
    }

    public StoredSchema schema(int id) {
        return log.state().schema(id).orElseThrow(() -> RegistryError.schemaNotFound("with id " + id));
    }

    public List<SchemaVersion> uses(int id, boolean includeDeleted) {
        schema(id);
        return log.state().usesOf(id, includeDeleted);
    }

    public List<Integer> deleteSubject(String subject, boolean permanent) {
        return log.write(state -> {
            if (state.mode() == Mode.READONLY) {
                throw RegistryError.readOnly(subject);
            }
            List<SchemaVersion> all = state.versions(subject, true);
            List<SchemaVersion> live = state.versions(subject, false);
            if (all.isEmpty()) {
                throw RegistryError.subjectNotFound(subject);
            }
            List<LogRecord> records = new ArrayList<>();
            if (permanent) {
                if (!live.isEmpty()) {
                    throw RegistryError.subjectNotSoftDeleted(subject);
                }
                all.forEach(v -> records.add(RegistryState.schemaTombstone(subject, v.version())));
                if (state.subjectConfig(subject).isPresent()) {
                    records.add(RegistryState.configRecord(subject, null));
                }
                return new Decision<>(records, all.stream().map(SchemaVersion::version).toList());
            }
            if (live.isEmpty()) {
                throw RegistryError.subjectSoftDeleted(subject);
            }
            live.forEach(v -> records.add(deleted(state, v)));
            return new Decision<>(records, live.stream().map(SchemaVersion::version).toList());
        });
    }

    public int deleteVersion(String subject, String version, boolean permanent) {
        return log.write(state -> {
            if (state.mode() == Mode.READONLY) {
                throw RegistryError.readOnly(subject);
            }
            SchemaVersion found = find(state, subject, version, permanent || !isLatest(version));
            if (permanent) {
                if (!found.deleted()) {
                    throw RegistryError.versionNotSoftDeleted(subject, found.version());
                }
                return new Decision<>(List.of(RegistryState.schemaTombstone(subject, found.version())), found.version());
            }
            if (found.deleted()) {
                throw RegistryError.versionSoftDeleted(subject, found.version());
            }
            return new Decision<>(List.of(deleted(state, found)), found.version());
        });
    }

    private static LogRecord deleted(RegistryState state, SchemaVersion version) {
        return RegistryState.schemaRecord(version.subject(), version.version(), version.id(),
                state.schema(version.id()).orElseThrow().text(), true);
    }

    /** Why the schema could not follow the subject's version(s) under the subject's level; empty if it can. */
    public List<String> testCompatibility(String subject, String version, String schemaText, String schemaType) {
        Schema parsed = parse(schemaText, schemaType);
        RegistryState state = log.state();
        CompatibilityLevel level = level(state, subject);
        List<SchemaVersion> live = state.versions(subject, false);
        if (version == null || isLatest(version)) {
            if (live.isEmpty()) {
                if (state.versions(subject, true).isEmpty() && version != null) {
                    throw RegistryError.subjectNotFound(subject);
                }
                return List.of();
            }
            return CompatibilityChecker.incompatibilities(level, parsed,
                    live.stream().map(v -> state.schema(v.id()).orElseThrow().parsed()).toList());
        }
        SchemaVersion against = find(state, subject, version, false);
        return CompatibilityChecker.incompatibilities(level, parsed, List.of(state.schema(against.id()).orElseThrow().parsed()));
    }

    // ---- config and mode

    public CompatibilityLevel globalLevel() {
        return log.state().globalConfig().orElse(properties.defaultCompatibility());
    }

    public CompatibilityLevel setGlobalLevel(CompatibilityLevel level) {
        return log.write(state -> new Decision<>(List.of(RegistryState.configRecord(null, level)), level));
    }

    /** Resets the global level to the configured default and returns the level it had. */
    public CompatibilityLevel deleteGlobalLevel() {
        return log.write(state -> new Decision<>(List.of(RegistryState.configRecord(null, null)),
                state.globalConfig().orElse(properties.defaultCompatibility())));
    }

    /**
     * The subject's level: its own config, else the configured default for subjects like it, else (only with
     * {@code defaultToGlobal}) the global level; 40408 when none applies.
     */
    public CompatibilityLevel subjectLevel(String subject, boolean defaultToGlobal) {
        RegistryState state = log.state();
        Optional<CompatibilityLevel> own = state.subjectConfig(subject).or(() -> patternDefault(subject));
        if (own.isPresent()) {
            return own.get();
        }
        if (defaultToGlobal) {
            return globalLevel();
        }
        throw RegistryError.noSubjectConfig(subject);
    }

    public CompatibilityLevel setSubjectLevel(String subject, CompatibilityLevel level) {
        return log.write(state -> new Decision<>(List.of(RegistryState.configRecord(subject, level)), level));
    }

    public CompatibilityLevel deleteSubjectLevel(String subject) {
        return log.write(state -> {
            CompatibilityLevel previous = state.subjectConfig(subject).orElseThrow(() -> RegistryError.noSubjectConfig(subject));
            return new Decision<>(List.of(RegistryState.configRecord(subject, null)), previous);
        });
    }

    public Mode mode() {
        return log.state().mode();
    }

    public Mode setMode(Mode mode) {
        return log.write(state -> new Decision<>(List.of(RegistryState.modeRecord(mode)), mode));
    }

    // ---- helpers

    private CompatibilityLevel level(RegistryState state, String subject) {
        return state.subjectConfig(subject).or(() -> patternDefault(subject))
                .orElseGet(() -> state.globalConfig().orElse(properties.defaultCompatibility()));
    }

    private Optional<CompatibilityLevel> patternDefault(String subject) {
        return properties.compatibilityDefaults().stream()
                .filter(rule -> new SubjectRule<>(rule.subjects(), rule.level()).matches(subject))
                .map(SubjectCompatibility::level).findFirst();
    }

    private static SchemaVersion find(RegistryState state, String subject, String version, boolean includeDeleted) {
        List<SchemaVersion> all = state.versions(subject, true);
        if (all.isEmpty()) {
            throw RegistryError.subjectNotFound(subject);
        }
        List<SchemaVersion> candidates = state.versions(subject, includeDeleted);
        if (isLatest(version)) {
            if (candidates.isEmpty()) {
                throw RegistryError.versionNotFound(subject, "latest");
            }
            return candidates.get(candidates.size() - 1);
        }
        int number = versionNumber(version);
        return candidates.stream().filter(v -> v.version() == number).findFirst()
                .orElseThrow(() -> RegistryError.versionNotFound(subject, number));
    }

    private static boolean isLatest(String version) {
        return "latest".equals(version) || "-1".equals(version);
    }

    private static int versionNumber(String version) {
        try {
            int number = Integer.parseInt(version);
            if (number < 1) {
                throw RegistryError.invalidVersion(version);
            }
            return number;
        } catch (NumberFormatException e) {
            throw RegistryError.invalidVersion(version);
        }
    }

    private Schema parse(String schemaText, String schemaType) {
        if (schemaType != null && !schemaType.isBlank() && !"AVRO".equalsIgnoreCase(schemaType)) {
            throw RegistryError.invalidSchema("schemaType " + schemaType + " is not supported; this registry stores AVRO schemas");
        }
        if (schemaText == null || schemaText.isBlank()) {
            throw RegistryError.invalidSchema("the request has no \"schema\"");
        }
        return admission.admit(schemaText);
    }

}
