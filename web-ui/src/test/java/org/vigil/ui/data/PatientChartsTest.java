package org.vigil.ui.data;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PatientChartsTest {
    @Test
    void bucketsKeepAboutAHundredAndFiftyPoints() {
        assertEquals(Duration.ofMinutes(10), PatientCharts.bucket(Duration.ofHours(24)));
        assertEquals(Duration.ofHours(2), PatientCharts.bucket(Duration.ofDays(7)));
        assertEquals(Duration.ofHours(6), PatientCharts.bucket(Duration.ofDays(30)));
        assertEquals(Duration.ofDays(1), PatientCharts.bucket(Duration.ofDays(90)));
        assertEquals(Duration.ofMinutes(1), PatientCharts.bucket(Duration.ofMinutes(30)));
    }
}
