package org.vigil.simulator;

import java.util.List;

/** Display names for simulated patients: common US given names and surnames, picked by a stable hash. */
final class Names {
    private static final List<String> GIVEN = List.of(
            "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
            "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Karen", "Charles", "Sarah",
            "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret",
            "Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Paul", "Donna", "Joshua", "Michelle",
            "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah", "Timothy", "Stephanie",
            "Ronald", "Dorothy", "Jose", "Rebecca", "Edward", "Sharon", "Jason", "Laura", "Jeffrey", "Cynthia",
            "Wei", "Mei", "Hiroshi", "Yuki", "Carlos", "Lucia", "Ahmed", "Fatima", "Raj", "Priya");
    private static final List<String> FAMILY = List.of(
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
            "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
            "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
            "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
            "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
            "Chen", "Wang", "Tanaka", "Patel", "Kim", "O'Brien", "Murphy", "Novak", "Schmidt", "Okafor");

    private Names() {
    }

    static String displayName(long hash) {
        long h = Mix.mix64(hash);
        return GIVEN.get((int) Math.floorMod(h, (long) GIVEN.size())) + " "
                + FAMILY.get((int) Math.floorMod(h >>> 20, (long) FAMILY.size()));
    }
}
