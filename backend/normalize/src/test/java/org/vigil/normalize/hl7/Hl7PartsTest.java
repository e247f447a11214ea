package org.vigil.normalize.hl7;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The small readers the decoder is built from: MSH by hand, HL7 times, locations, EUI-64s, message text. */
class Hl7PartsTest {

    @Test
    void theMshHeaderIsReadByHandWithItsOwnDelimiters() {
        MshHeader msh = MshHeader.parse("MSH#$*!@#Gateway$ACDE48234567ABCD$EUI-64#Fac###20240301##ORU$R01$ORU_R01#A!F!b!F!#P#2.6\rPID");
        assertEquals("ORU", msh.messageType());
        assertEquals("R01", msh.triggerEvent());
        assertEquals("A#b#", msh.controlId());
        assertEquals("2.6", msh.version());
        assertEquals("ACDE48234567ABCD", msh.component(3, 2));
        assertEquals("", msh.component(3, 9));
        assertEquals("", msh.field(40));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "PID|1", "MSH|^~", "MSH|^^^^|", "MSHA^~\\&|"})
    void aHeaderWithoutUsableDelimitersIsRefused(String text) {
        assertThrows(IllegalArgumentException.class, () -> MshHeader.parse(text));
        assertEquals(Optional.empty(), MshHeader.read(text));
    }

    @ParameterizedTest
    @CsvSource({
            "20090813095715+0500, 2009-08-13T04:57:15Z",
            "20090813095715.1234-0130, 2009-08-13T11:27:15.1234Z",
            "200908130957, 2009-08-13T09:57:00Z",
            "2009, 2009-01-01T00:00:00Z",
    })
    void hl7TimesAreReadWithTheirOffset(String dtm, Instant expected) {
        assertEquals(expected, Hl7Time.parse(dtm).at(ZoneOffset.UTC));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "2009081", "20090813095715+05", "2009-08-13", "20091313", "20090813095715.+0000", "x"})
    void malformedTimesAreRefused(String dtm) {
        assertThrows(DateTimeException.class, () -> Hl7Time.parse(dtm));
    }

    @ParameterizedTest
    @CsvSource({"OBX-3(4), OBX, 4, 3, 0", "PID-3, PID, 0, 3, 0", "MSH-9.2, MSH, 0, 9, 2", "OBX, OBX, 0, 0, 0"})
    void locationsRoundTrip(String text, String segment, int occurrence, int field, int component) {
        Hl7Location l = new Hl7Location(segment, occurrence, field, component);
        assertEquals(text, l.toString());
        assertEquals(Optional.of(l), Hl7Location.parse(text));
    }

    @Test
    void textThatIsNoLocationIsNotParsed() {
        assertEquals(Optional.empty(), Hl7Location.parse("/measurements/2/value"));
        assertEquals(Optional.empty(), Hl7Location.parse(null));
    }

    @ParameterizedTest
    @CsvSource({
            "0123456789abcdef, '', 0123456789ABCDEF, EUI-64, 0123456789ABCDEF",
            "0123456789ABCDEF, EUI-64, '', '', 0123456789ABCDEF",
            "1305815835, 123254BCD, 0123456789ABCDEF, EUI-64, 0123456789ABCDEF",
            "CD12345, AcmeAHDInc, ACDE48234567ABCD, EUI-64, ACDE48234567ABCD",
    })
    void eui64sAreFoundWhereSendersPutThem(String ei1, String ei2, String ei3, String ei4, String eui) {
        assertEquals(eui, Eui64.of(ei1, ei2, ei3, ei4));
    }

    @Test
    void identifiersThatAreNoEui64AreNotTakenForOne() {
        assertNull(Eui64.of("CD12345", "AcmeAHDInc", "1.2.3.4", "ISO"));
        assertNull(Eui64.of("12345", "EUI-64", "", ""));
    }

    @Test
    void lineEndingsAndFramingAreNormalised() {
        byte[] framed = "\u000bMSH|^~\\&|A\r\nPID|1\nOBX|1\r\u001c\r".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("MSH|^~\\&|A\rPID|1\rOBX|1", Hl7Text.decode(framed));
    }

    @Test
    void utf8IsUsedWhenMsh18SaysSo() {
        String msh = "MSH|^~\\&|Gerät||||20240301||ORU^R01|1|P|2.6||||||UNICODE UTF-8";
        assertEquals(msh, Hl7Text.decode(msh.getBytes(StandardCharsets.UTF_8)));
    }
}
