package org.vigil.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where the machine's CPU went during a window: the backend (and, within it, the alert evaluator and ingest
 * threads), this benchmark process, each of the stack's servers, and everything else. These machines have two
 * cores and are shared with other sessions' builds and tests; a latency measured while someone else held a core is
 * not the platform's alone, and the report should say so. Linux only (/proc), which is where the benchmarks run.
 */
final class CpuMeter {
    /** USER_HZ: the unit of /proc/stat and /proc/PID/stat, 100 on every Linux we run on (fixed for user space). */
    private static final double TICKS_PER_SECOND = 100;

    /**
     * Cumulative CPU seconds at one instant.
     *
     * @param stack            by server (nats-server, postgres, clickhouse-server), its child processes included
     * @param evaluator        the backend's alert evaluator thread alone
     * @param evaluatorWaiting seconds the evaluator thread was runnable but waiting for a core (schedstat)
     * @param ingest           the backend's ingest threads (fetching, and writing readings to ClickHouse)
     */
    record Snapshot(long nanoTime, double machine, double backend, double bench, Map<String, Double> stack, double evaluator,
                    double evaluatorWaiting, double ingest) {
    }

    /** Average cores busy over a window; for the evaluator thread, the share of the window it ran and waited to run. */
    record Usage(double seconds, double machine, double backend, double bench, Map<String, Double> stack, double evaluator,
                 double evaluatorWaiting, double ingest) {
        double stackTotal() {
            return stack.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        double others() {
            return Math.max(0, machine - backend - bench - stackTotal());
        }

        String summary() {
            return String.format(Locale.ROOT, "%.2f of %d cores busy on average over %.0f s: backend %.2f, this benchmark %.2f, "
                            + "stack servers %.2f (%s), other processes %.2f", machine, Runtime.getRuntime().availableProcessors(),
                    seconds, backend, bench, stackTotal(), stack.entrySet().stream()
                            .map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(), e.getValue())).collect(Collectors.joining(", ")),
                    others());
        }

        /** The backend's share, by thread. */
        String backendThreads() {
            return String.format(Locale.ROOT, "backend threads: alert evaluator %.2f cores, ingest %.2f, the rest (GC, JIT, "
                    + "deliveries, pools) %.2f", evaluator, ingest, Math.max(0, backend - evaluator - ingest));
        }

        /**
         * The evaluator is one thread: of the window's wall time it ran, waited for a core, or was off the run queue
         * (waiting for PostgreSQL, for NATS, or for readings).
         */
        String evaluatorTime() {
            return String.format(Locale.ROOT, "alert evaluator thread's time: %.0f %% on a core, %.0f %% runnable but waiting for one, "
                    + "%.0f %% blocked (PostgreSQL, NATS, idle)", 100 * evaluator, 100 * evaluatorWaiting,
                    100 * Math.max(0, 1 - evaluator - evaluatorWaiting));
        }
    }

    private final long backendPid;
    private final String stackMarker;

    /** @param stackName the ops/stack instance: its servers' command lines name its data directory */
    CpuMeter(long backendPid, String stackName) {
        this.backendPid = backendPid;
        this.stackMarker = "/.vigil/" + stackName + "/";
    }

    Snapshot snapshot() {
        Map<String, Double> stack = new TreeMap<>();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(stackMarker)).orElse(false))
                .forEach(p -> stack.merge(Path.of(p.info().command().orElse("?")).getFileName().toString(),
                        cpu(withDescendants(p)), Double::sum));  // PostgreSQL's backends are children of the postmaster
        return new Snapshot(System.nanoTime(), machineBusySeconds(), cpu(ProcessHandle.of(backendPid).stream().flatMap(CpuMeter::withDescendants)),
                cpu(Stream.of(ProcessHandle.current())), stack,
                threads(backendPid, "vigil-alert-eva", false), threads(backendPid, "vigil-alert-eva", true),
                threads(backendPid, "vigil-ingest", false));
    }

    static Usage between(Snapshot a, Snapshot b) {
        double s = (b.nanoTime() - a.nanoTime()) / 1e9;
        Map<String, Double> stack = new TreeMap<>();
        b.stack().forEach((server, seconds) -> stack.put(server, (seconds - a.stack().getOrDefault(server, 0.0)) / s));
        return new Usage(s, (b.machine() - a.machine()) / s, (b.backend() - a.backend()) / s, (b.bench() - a.bench()) / s,
                stack, (b.evaluator() - a.evaluator()) / s, (b.evaluatorWaiting() - a.evaluatorWaiting()) / s,
                (b.ingest() - a.ingest()) / s);
    }

    private static Stream<ProcessHandle> withDescendants(ProcessHandle p) {
        return Stream.concat(Stream.of(p), p.descendants());
    }

    private static double cpu(Stream<ProcessHandle> processes) {
        return processes.mapToDouble(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9).sum();
    }

    /**
     * CPU seconds of the process's threads whose name starts with {@code prefix}, or with {@code waiting} the seconds
     * they spent runnable on a run queue without a core. The kernel keeps the first 15 characters of a Java thread's
     * name, which is enough for ours ("vigil-alert-evaluator" is "vigil-alert-eva").
     */
    private static double threads(long pid, String prefix, boolean waiting) {
        double seconds = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (!name.startsWith(prefix)) {
                        continue;
                    }
                    if (waiting) {
                        // schedstat: nanoseconds on a core, nanoseconds waiting on a run queue, time slices
                        seconds += Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split(" ")[1]) / 1e9;
                    } else {
                        // after the name: state, ppid, ... utime is the 12th field and stime the 13th
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        seconds += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return seconds;
    }

    /** user + nice + system + irq + softirq + steal of the "cpu" line of /proc/stat; idle and iowait are not busy. */
    private static double machineBusySeconds() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
            String[] f = lines.filter(l -> l.startsWith("cpu ")).findFirst().orElseThrow().trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
