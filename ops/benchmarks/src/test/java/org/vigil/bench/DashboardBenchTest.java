package org.vigil.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The dashboard benchmark's options and table size; the run itself needs the stack. */
class DashboardBenchTest {

    @Test
    void defaultsMakeAboutTenMillionRows() {
        DashboardBench.Options o = DashboardBench.Options.parse(List.of());
        assertEquals(new DashboardBench.Options(1_000, 180, 90, 30), o);
        assertEquals(1_000L * 180 * 55 + 90 * 1_440, o.rows());
        assertEquals(10_029_600, o.rows());
    }

    @Test
    void refusesWhatCannotMeasureTheChart() {
        assertThrows(IllegalArgumentException.class, () -> DashboardBench.Options.parse(List.of("--patients", "99")));
        assertThrows(IllegalArgumentException.class, () -> DashboardBench.Options.parse(List.of("--days", "60")));
        assertThrows(IllegalArgumentException.class, () -> DashboardBench.Options.parse(List.of("--dense-days", "200")));
        assertThrows(IllegalArgumentException.class, () -> DashboardBench.Options.parse(List.of("--app-jar", "x.jar")));
    }

    @Test
    void patientsAreStableAndDistinct() {
        assertEquals(DashboardBench.patient(7), DashboardBench.patient(7));
        assertNotEquals(DashboardBench.patient(7), DashboardBench.patient(-1));
    }
}
