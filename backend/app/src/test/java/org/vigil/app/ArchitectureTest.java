package org.vigil.app;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Stages talk only through their public packages ({@code org.vigil.<stage>}); what lives in
 * {@code org.vigil.<stage>.internal} is theirs alone. And the data flows one way: normalize (pure decoding) knows
 * only core; edge transports and ingest use normalize; ingest, telemetry and the registry know nothing of each
 * other, only of core's contracts. Only app wires them together.
 */
class ArchitectureTest {
    private static final List<String> STAGES = List.of("core", "registry", "normalize", "edge", "ingest", "telemetry", "alerting", "ehr", "ui", "app");
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // only our own classes and jars: scanning Vaadin's and HAPI's jars for org.vigil took a minute and a half
            .withImportOption(location -> !location.isJar() || location.contains("/vigil-"))
            .importPackages("org.vigil");

    @Test
    void internalsAreReachedOnlyFromTheirOwnStage() {
        for (String stage : STAGES) {
            noClasses().that().resideOutsideOfPackage("org.vigil." + stage + "..")
                    .should().dependOnClassesThat().resideInAPackage("org.vigil." + stage + ".internal..")
                    .because("stage '" + stage + "' is used only through org.vigil." + stage)
                    .check(classes);
        }
    }

    @Test
    void coreDependsOnNoStage() {
        noClasses().that().resideInAPackage("org.vigil.core..")
                .should().dependOnClassesThat().resideInAnyPackage("org.vigil.registry..", "org.vigil.ingest..",
                        "org.vigil.telemetry..", "org.vigil.app..", "org.vigil.normalize..", "org.vigil.edge..",
                        "org.vigil.alerting..", "org.vigil.ehr..")
                .check(classes);
    }

    @Test
    void alertingDoesNotDependOnTelemetryOrTheEhr() {
        // The alert circuit must keep working with ClickHouse or every EHR down (DESIGN.md): it may not even link to
        // them. EHR sync follows alerts through alerting's AlertFollower interface, never the other way round.
        noClasses().that().resideInAPackage("org.vigil.alerting..")
                .should().dependOnClassesThat().resideInAnyPackage("org.vigil.telemetry..", "org.vigil.app..",
                        "org.vigil.ehr..", "ru.yandex.clickhouse..")
                .check(classes);
    }

    @Test
    void decodingIsPureAndTransportsDoNotStore() {
        noClasses().that().resideInAPackage("org.vigil.normalize..")
                .should().dependOnClassesThat().resideInAnyPackage("org.vigil.registry..", "org.vigil.ingest..",
                        "org.vigil.telemetry..", "org.vigil.app..", "org.vigil.edge..", "io.nats..", "java.sql..")
                .check(classes);
        noClasses().that().resideInAPackage("org.vigil.edge..")
                .should().dependOnClassesThat().resideInAnyPackage("org.vigil.registry..", "org.vigil.ingest..",
                        "org.vigil.telemetry..", "org.vigil.app..")
                .check(classes);
    }

    @Test
    void pipelineStagesOnlyKnowCore() {
        noClasses().that().resideInAPackage("org.vigil.ingest..")
                .should().dependOnClassesThat().resideInAnyPackage("org.vigil.registry..", "org.vigil.telemetry..",
                        "org.vigil.app..", "org.vigil.edge..")
                .check(classes);
        noClasses().that().resideInAPackage("org.vigil.telemetry..")
                .should().dependOnClassesThat().resideInAnyPackage("org.vigil.registry..", "org.vigil.ingest..", "org.vigil.app..")
                .check(classes);
        noClasses().that().resideInAPackage("org.vigil.registry..")
                .should().dependOnClassesThat().resideInAnyPackage("org.vigil.ingest..", "org.vigil.telemetry..", "org.vigil.app..")
                .check(classes);
    }

    /** The dashboard shows what the stages' services say: no SQL, no ClickHouse, no NATS of its own, and no stage needs it. */
    @Test
    void theDashboardCallsServicesOnly() {
        noClasses().that().resideInAPackage("org.vigil.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "io.nats..", "ru.yandex..",
                        "org.vigil.app..")
                .check(classes);
        noClasses().that().resideOutsideOfPackages("org.vigil.ui..", "org.vigil.app..")
                .should().dependOnClassesThat().resideInAPackage("org.vigil.ui..")
                .check(classes);
    }
}
