package org.vigil.app;

/**
 * Where the stack under test is: the variables {@code ops/stack env} prints, defaulting to the dev stack like
 * application.yml does, so {@code mvn verify} works against a running {@code ops/stack start}.
 */
public final class StackEnv {
    private StackEnv() {
    }

    public static String get(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    public static String pgUrl() {
        return "jdbc:postgresql://" + get("VIGIL_PG_HOST", "127.0.0.1") + ":" + get("VIGIL_PG_PORT", "15432") + "/"
                + get("VIGIL_PG_DB", "vigil");
    }

    public static String ownerUser() {
        return get("VIGIL_PG_OWNER_USER", "vigil_owner");
    }

    public static String ownerPassword() {
        return get("VIGIL_PG_OWNER_PASSWORD", "vigil_owner_dev");
    }

    public static String appUser() {
        return get("VIGIL_PG_APP_USER", "vigil_app");
    }

    public static String appPassword() {
        return get("VIGIL_PG_APP_PASSWORD", "vigil_app_dev");
    }

    public static String natsUrl() {
        return get("VIGIL_NATS_URL", "nats://127.0.0.1:14222");
    }

    public static String clickHouseHttpPort() {
        return get("VIGIL_CH_HTTP_PORT", "18123");
    }
}
