package org.vigil.bench;

/** The stack under measurement, from the variables {@code ops/stack env --name bench} exports. */
record BenchEnv(String stack, String natsUrl, String pgUrl, String pgOwner, String pgOwnerPassword, String clickHouseHttp) {

    static BenchEnv fromEnvironment() {
        return new BenchEnv(
                env("VIGIL_STACK", "bench"),
                env("VIGIL_NATS_URL", "nats://127.0.0.1:34222"),
                "jdbc:postgresql://127.0.0.1:" + env("VIGIL_PG_PORT", "35432") + "/" + env("VIGIL_PG_DB", "vigil"),
                env("VIGIL_PG_OWNER_USER", "vigil_owner"),
                env("VIGIL_PG_OWNER_PASSWORD", "vigil_owner_dev"),
                "127.0.0.1:" + env("VIGIL_CH_HTTP_PORT", "38123"));
    }

    String clickHouseJdbc(String database) {
        return "jdbc:clickhouse://" + clickHouseHttp + "/" + database + "?compress=false";
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
