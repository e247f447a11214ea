package org.vigil.simulator;

/** Rows a seeding run inserted per table; rows that were already there are not counted. */
public record SeedResult(int tenants, int patients, int identifiers, int devices, int assignments) {

    public String summary() {
        return "inserted tenants=" + tenants + " patients=" + patients + " patient_identifiers=" + identifiers
                + " devices=" + devices + " device_assignments=" + assignments;
    }
}
