package org.vigil.simulator;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;

/** Small combinators over message streams, so sources stay ignorant of how a run ends. */
public final class Sources {
    private Sources() {
    }

    public static <T> Iterator<T> limit(Iterator<T> source, long max) {
        return new Iterator<>() {
            private long taken;

            @Override
            public boolean hasNext() {
                return taken < max && source.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                taken++;
                return source.next();
            }
        };
    }

    public static <T> Iterator<T> until(Iterator<T> source, BooleanSupplier stop) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return !stop.getAsBoolean() && source.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return source.next();
            }
        };
    }
}
