package org.vigil.alerting;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's "silent" flag, by the device watch's rule. */
class DeviceWatchSilenceTest {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final AlertConfig.DeviceWatch DAY = new AlertConfig.DeviceWatch(Duration.ofDays(1), 20.0);

    @Test
    void silentOnceNothingWasHeardForTheWholePeriod() {
        assertFalse(DAY.silent(NOW.minus(Duration.ofHours(23)), null, NOW));
        assertTrue(DAY.silent(NOW.minus(Duration.ofDays(1)), null, NOW), "at the limit, as the watch judges it");
        assertTrue(DAY.silent(NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(10)), NOW));
    }

    @Test
    void aDeviceNeverHeardFromCountsFromItsAssignment() {
        assertFalse(DAY.silent(null, NOW.minus(Duration.ofHours(2)), NOW), "assigned this morning");
        assertTrue(DAY.silent(null, NOW.minus(Duration.ofDays(2)), NOW));
        assertTrue(DAY.silent(null, null, NOW), "never heard, assignment unknown");
    }

    @Test
    void nothingIsSilentWhenSilenceIsNotWatched() {
        assertFalse(AlertConfig.DeviceWatch.NONE.silent(null, null, NOW));
        assertFalse(new AlertConfig.DeviceWatch(null, 20.0).silent(NOW.minus(Duration.ofDays(300)), null, NOW));
    }
}
