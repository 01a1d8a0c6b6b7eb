package dev.sluice.console;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The console's settings ({@code sluice.console.*}; environment {@code SLUICE_CONSOLE_...}).
 *
 * @param governanceUrl the governance service ({@code SLUICE_CONSOLE_GOVERNANCE_URL})
 * @param privacyUrl the privacy-requests service ({@code SLUICE_CONSOLE_PRIVACY_URL})
 * @param timeout how long a call to a service may take before the page says it is unavailable
 * @param tierOne where the reservoirs live in the lake, to tell an analyst where their tables' files are
 * @param catalogDatabasePrefix a reservoir's catalog database is this followed by its name (the catalog's setting)
 * @param deadlineWarning how long before its deadline a privacy request turns amber
 */
@ConfigurationProperties("sluice.console")
public record ConsoleProperties(@DefaultValue("http://localhost:8086") String governanceUrl,
        @DefaultValue("http://localhost:8087") String privacyUrl, @DefaultValue("10s") Duration timeout,
        @DefaultValue("s3://sluice-lake/tier1") String tierOne, @DefaultValue("sluice_") String catalogDatabasePrefix,
        @DefaultValue("7d") Duration deadlineWarning) {
}
