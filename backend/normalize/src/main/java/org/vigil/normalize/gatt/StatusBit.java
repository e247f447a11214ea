package org.vigil.normalize.gatt;

import java.util.ArrayList;
import java.util.List;

/** One bit of a status field, and the flag a reading carries when the device sets it. */
interface StatusBit {
    int bit();

    String flag();

    default boolean in(int raw) {
        return (raw >>> bit() & 1) != 0;
    }

    static List<String> flags(StatusBit[] bits, int raw) {
        List<String> flags = new ArrayList<>();
        for (StatusBit b : bits) {
            if (b.in(raw)) {
                flags.add(b.flag());
            }
        }
        return flags;
    }
}
