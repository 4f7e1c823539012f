package io.tributary.broker.compat.groups;

/**
 * Killing a process whose output a test still reads. {@link Process#destroyForcibly()} sends
 * SIGKILL and also closes this side's ends of the process's pipes: what the process wrote and the
 * reader had not read yet is thrown away, and the reader gets "Stream closed" instead of the end of
 * the stream. Through its {@link ProcessHandle} the same signal leaves the pipes alone, so the dead
 * process's output can be read to its end.
 */
final class ProcessKill {

    private ProcessKill() {
    }

    /** SIGKILL; the process's output stays readable to its end. */
    static void kill(Process process) {
        process.toHandle().destroyForcibly();
    }
}
