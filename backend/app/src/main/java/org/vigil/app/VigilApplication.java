package org.vigil.app;

import io.micronaut.runtime.Micronaut;

public final class VigilApplication {
    private VigilApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(VigilApplication.class).banner(false).start();
    }
}
