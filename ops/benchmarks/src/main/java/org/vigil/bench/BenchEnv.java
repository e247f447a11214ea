package org.vigil.bench;

/**
 * The stack under measurement, from the variables {@code ops/stack env --name bench} exports.
 *
 * @param pgApp        the role the backend's services run as (row-level security applies to it), for in-process services
 * @param uiUrl        where browsers reach the dashboard of a backend started with it; the realm's sign-in client
 *                     accepts redirects to the stacks' addresses only
 * @param oidcIssuer   the stack's Keycloak realm (the dashboard's sign-in and the API's tokens)
 */
record BenchEnv(String stack, String natsUrl, String pgUrl, String pgOwner, String pgOwnerPassword, String clickHouseHttp,
                String pgApp, String pgAppPassword, String uiUrl, String oidcIssuer) {

    static BenchEnv fromEnvironment() {
        return new BenchEnv(
                env("VIGIL_STACK", "bench"),
                env("VIGIL_NATS_URL", "nats://127.0.0.1:34222"),
                "jdbc:postgresql://127.0.0.1:" + env("VIGIL_PG_PORT", "35432") + "/" + env("VIGIL_PG_DB", "vigil"),
                env("VIGIL_PG_OWNER_USER", "vigil_owner"),
                env("VIGIL_PG_OWNER_PASSWORD", "vigil_owner_dev"),
                "127.0.0.1:" + env("VIGIL_CH_HTTP_PORT", "38123"),
                env("VIGIL_PG_APP_USER", "vigil_app"),
                env("VIGIL_PG_APP_PASSWORD", "vigil_app_dev"),
                env("VIGIL_UI_URL", "http://127.0.0.1:38081"),
                env("VIGIL_OIDC_ISSUER", "http://127.0.0.1:38180/realms/vigil"));
    }

    String clickHouseJdbc(String database) {
        return "jdbc:clickhouse://" + clickHouseHttp + "/" + database + "?compress=false";
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
