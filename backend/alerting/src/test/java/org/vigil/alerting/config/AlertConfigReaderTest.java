package org.vigil.alerting.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigil.alerting.AlertConfig;
import org.vigil.alerting.PatientSettings;
import org.vigil.alerting.Program;
import org.vigil.alerting.WindowRule;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertConfigReaderTest {

    private static final String BASE = """
            programs:
              htn:
                thresholds:
                  - code: 8480-6
                    low: 90
                    high: 160
                    criticalHigh: 180
                trends:
                  - { kind: rise, code: 29463-7, by: 2, unit: "[lb_av]", within: 1d }
                noDataAfter: 72h
            escalation:
              - { role: care-manager, after: 0m }
            contacts:
              care-manager: { email: [cm@clinic.example] }
            """;

    @Test
    void theDefaultsAreValidAndCoverTheUsualPrograms() {
        AlertConfig c = AlertConfigReader.defaults();
        assertEquals(List.of("general", "hypertension", "heart-failure", "diabetes", "copd"), List.copyOf(c.programs().keySet()));
        assertEquals(List.of("general"), c.defaultPrograms());
        assertEquals(3, c.escalation().size());
    }

    @Test
    void poundsAreConvertedToKilogramsAsDifferences() {
        Program htn = AlertConfigReader.read(BASE).programs().get("htn");
        WindowRule.RiseWithin rise = (WindowRule.RiseWithin) htn.trends().get(0);
        assertEquals(0.907185, rise.maxRise(), 1e-6);
        assertEquals(Duration.ofDays(1), rise.window());
        assertEquals(Duration.ofHours(72), htn.noDataAfter());
    }

    @Test
    void fahrenheitLimitsAreConvertedToCelsius() {
        AlertConfig c = AlertConfigReader.read(BASE.replace("    trends:",
                "      - { code: 8310-5, unit: \"[degF]\", high: 100.4 }\n    trends:"));
        assertEquals(38.0, c.programs().get("htn").thresholds().get(1).high(), 1e-6);
    }

    /** A broken variant of BASE, the line and field it must be refused at, and a word of the message. */
    @ParameterizedTest(name = "{3}")
    @CsvSource(delimiter = '|', textBlock = """
            high: 160                 | high: 80                        | 6  | programs.htn.thresholds[0].high      | inverted
            criticalHigh: 180         | criticalHigh: 160               | 7  | programs.htn.thresholds[0].criticalHigh | overlap
            code: 8480-6              | code: 1234-5                    | 4  | programs.htn.thresholds[0].code      | not a LOINC code
            code: 8480-6              | code: 85354-9                   | 4  | programs.htn.thresholds[0].code      | panel
            within: 1d                | within: 0s                      | 9  | programs.htn.trends[0].window        | longer than zero
            within: 1d                | within: soon                    | 9  | programs.htn.trends[0].within        | not a duration
            noDataAfter: 72h          | noDataAfter: 1m                 | 10 | programs.htn.noDataAfter             | between 15 minutes
            noDataAfter: 72h          | noDataAfer: 72h                 | 10 | programs.htn.noDataAfer              | unknown field
            low: 90                   | low: ninety                     | 5  | programs.htn.thresholds[0].low       | must be a number
            low: 90                   | low: 10                         | 5  | programs.htn.thresholds[0].low       | outside what
            role: care-manager        | role: nurse                     | 12 | escalation[0].role                   | no contacts
            unit: "[lb_av]"           | unit: "mm[Hg]"                  | 9  | programs.htn.trends[0].unit          | not a unit
            kind: rise                | kind: fall                      | 9  | programs.htn.trends[0].kind          | not a trend kind
            """)
    void problemsAreRefusedWithTheFieldAndLineAtFault(String from, String to, int line, String field, String words) {
        String broken = BASE.replace(from, to);
        ConfigRejected e = assertThrows(ConfigRejected.class, () -> AlertConfigReader.read(broken));
        ConfigProblem p = e.problems().get(0);
        assertEquals(field, p.field(), e.getMessage());
        assertEquals(line, p.line(), e.getMessage());
        assertTrue(p.message().contains(words), p.message());
    }

    @Test
    void theClinicsTimeZoneIsARegionAndUtcByDefault() {
        assertEquals(ZoneId.of("UTC"), AlertConfigReader.read(BASE).timeZone(), "a region, shown as UTC rather than Z");
        assertEquals(ZoneId.of("UTC"), AlertConfigReader.defaults().timeZone());
        assertEquals(ZoneId.of("America/Chicago"), AlertConfigReader.read(BASE + "timeZone: America/Chicago\n").timeZone());
        for (String wrong : List.of("Mars/Olympus_Mons", "+02:00", "CST", "42")) {
            ConfigRejected e = assertThrows(ConfigRejected.class, () -> AlertConfigReader.read(BASE + "timeZone: " + wrong + "\n"));
            ConfigProblem p = e.problems().get(0);
            assertEquals("timeZone", p.field(), e.getMessage());
            assertEquals(15, p.line(), e.getMessage());
            assertTrue(p.message().contains("IANA name") || p.message().contains("must be text"), p.message());
        }
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        ConfigRejected e = assertThrows(ConfigRejected.class,
                () -> AlertConfigReader.read(BASE.replace("high: 160", "high: 80").replace("noDataAfter: 72h", "noDataAfter: 1m")));
        assertEquals(2, e.problems().size(), e.getMessage());
    }

    @Test
    void jsonIsReadTooWithItsLines() {
        String json = """
                {
                  "programs": {
                    "htn": {
                      "thresholds": [
                        {"code": "8480-6", "low": 90, "high": 80}
                      ]
                    }
                  }
                }
                """;
        ConfigRejected e = assertThrows(ConfigRejected.class, () -> AlertConfigReader.read(json));
        assertEquals(5, e.problems().get(0).line(), e.getMessage());
        assertEquals("programs.htn.thresholds[0].high", e.problems().get(0).field());
    }

    @Test
    void malformedDocumentsSayWhere() {
        ConfigRejected e = assertThrows(ConfigRejected.class, () -> AlertConfigReader.read("{\"programs\": {\n  \"htn\": [}\n}"));
        assertEquals(2, e.problems().get(0).line(), e.getMessage());
        ConfigRejected dup = assertThrows(ConfigRejected.class, () -> AlertConfigReader.read("programs: {}\nprograms: {}\n"));
        assertTrue(dup.getMessage().contains("given twice"), dup.getMessage());
        assertThrows(ConfigRejected.class, () -> AlertConfigReader.read(""));
    }

    @Test
    void patientSettingsNameExistingProgramsAndValidOverrides() {
        AlertConfig c = AlertConfigReader.read(BASE);
        PatientSettings ok = AlertConfigReader.readPatient("""
                {"programs": ["htn"], "thresholds": [{"code": "8480-6", "high": 150, "criticalHigh": 175}],
                 "snoozedUntil": "2026-11-22T08:00:00Z"}""", c);
        assertEquals(150.0, ok.overrides().get(0).high());
        ConfigRejected e = assertThrows(ConfigRejected.class, () -> AlertConfigReader.readPatient("""
                programs: [htn, copd]
                thresholds:
                  - { code: 8480-6, high: 150, criticalHigh: 140 }
                """, c));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertEquals("programs[1]", e.problems().get(0).field());
        assertEquals(1, e.problems().get(0).line());
    }
}
