package org.vigil.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard benchmark's options and table size; the run itself needs the stack. */
class DashboardBenchTest {
    private static final List<String> JAR = List.of("--app-jar", "app.jar");

    private static DashboardBench.Options parse(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(JAR);
        return DashboardBench.Options.parse(all);
    }

    @Test
    void defaultsMakeAboutTenMillionRowsAndTenThousandAlerts() {
        DashboardBench.Options o = parse();
        assertEquals(new DashboardBench.Options(1_000, 180, 90, 30, 10_000, 2_000, 20, Path.of("app.jar")), o);
        assertEquals(1_000L * 180 * 55 + 90 * 1_440, o.rows());
        assertEquals(10_029_600, o.rows());
    }

    @Test
    void takesTheTriageOptions() {
        DashboardBench.Options o = parse("--alerts", "1_000", "--alert-patients", "200", "--page-loads", "5", "--repeat", "10");
        assertEquals(1_000, o.alerts());
        assertEquals(200, o.alertPatients());
        assertEquals(5, o.pageLoads());
        assertEquals(10, o.repeat());
    }

    @Test
    void refusesWhatCannotMeasureTheChart() {
        assertThrows(IllegalArgumentException.class, () -> parse("--patients", "99"));
        assertThrows(IllegalArgumentException.class, () -> parse("--days", "60"));
        assertThrows(IllegalArgumentException.class, () -> parse("--dense-days", "200"));
        assertThrows(IllegalArgumentException.class, () -> parse("--count", "5"));
    }

    @Test
    void refusesWhatCannotMeasureTheQueue() {
        IllegalArgumentException noJar = assertThrows(IllegalArgumentException.class, () -> DashboardBench.Options.parse(List.of()));
        assertTrue(noJar.getMessage().contains("--app-jar"), noJar.getMessage());
        // fewer than a full first page of 50
        assertThrows(IllegalArgumentException.class, () -> parse("--alerts", "49"));
        // more than one alert per rule and patient: the suppression key would merge them
        assertThrows(IllegalArgumentException.class, () -> parse("--alerts", "10001", "--alert-patients", "2000"));
        assertThrows(IllegalArgumentException.class, () -> parse("--alert-patients", "0"));
        assertThrows(IllegalArgumentException.class, () -> parse("--page-loads", "0"));
        assertThrows(IllegalArgumentException.class, () -> parse("--alerts"));
    }

    @Test
    void patientsAreStableAndDistinct() {
        assertEquals(DashboardBench.patient(7), DashboardBench.patient(7));
        assertNotEquals(DashboardBench.patient(7), DashboardBench.patient(-1));
    }
}
