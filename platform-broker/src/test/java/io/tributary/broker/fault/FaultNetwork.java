package io.tributary.broker.fault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import io.tributary.broker.BrokerProcess;
import io.tributary.broker.SystemCommand;
import io.tributary.broker.cluster.ProcessCluster;

/**
 * A private network for a cluster's brokers: one Linux network namespace per broker, each joined by a
 * veth pair to a bridge in the root namespace, where the test JVM and its clients live. Addresses are
 * on a 10.77.x.0/24 subnet of this network alone; the namespaces have no default route and the root
 * namespace forwards nothing, so no broker reaches anything outside.
 *
 * <p>Faults change this network with {@code ip} and {@code tc} only, each undone by {@link #heal()}:
 * a node's link down, a node cut from some peers (blackhole routes on both sides, so clients on the
 * bridge still reach it), and a lossy link. Netem delay is used where the kernel has it; where it has
 * not (Firecracker kernels ship without {@code sch_netem}), loss is made with a classic-BPF filter that
 * redirects a random 5 % of packets to an interface that is down, and there is no delay.
 *
 * <p>Namespaces, bridge and veths are named after the test JVM's pid ({@code tfi<pid>...}), so that a
 * later run removes those a crashed run left behind. Not thread-safe: one test thread drives it.
 */
final class FaultNetwork implements AutoCloseable {

    static final int RAFT_PORT = 9093;
    private static final String PREFIX = "tfi";
    private static final int KAFKA_PORT = 9092;
    private static final int HTTP_PORT = 8080;

    private final String id;
    private final int subnet;
    private final int nodes;
    private final List<String> undo = new ArrayList<>();
    private final boolean netem;

    private FaultNetwork(String id, int subnet, int nodes) {
        this.id = id;
        this.subnet = subnet;
        this.nodes = nodes;
        this.netem = false;
    }

    private FaultNetwork(FaultNetwork base, boolean netem) {
        this.id = base.id;
        this.subnet = base.subnet;
        this.nodes = base.nodes;
        this.netem = netem;
    }

    /**
     * Why no network of namespaces can be made here, or null when it can: not root, no {@code ip},
     * namespaces refused.
     */
    static String unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return "Fault injection needs Linux network namespaces; this is " + System.getProperty("os.name");
        }
        if (!Files.isExecutable(Path.of("/usr/sbin/ip")) && !Files.isExecutable(Path.of("/sbin/ip"))
                && !Files.isExecutable(Path.of("/usr/bin/ip")) && !Files.isExecutable(Path.of("/bin/ip"))) {
            return "Fault injection needs iproute2's ip and tc (apt-get install iproute2; .ci/run installs it)";
        }
        String probe = PREFIX + ProcessHandle.current().pid() + "probe";
        SystemCommand.Result added = SystemCommand.run("ip", "netns", "add", probe);
        if (added.code() != 0) {
            return "Fault injection needs to create network namespaces (root, or CAP_SYS_ADMIN and CAP_NET_ADMIN): "
                    + "ip netns add said " + added.output().strip();
        }
        SystemCommand.run("ip", "netns", "del", probe);
        return null;
    }

    /** Creates the bridge and {@code nodes} namespaces, after removing what dead runs left behind. */
    static FaultNetwork create(int nodes) {
        removeLeftovers();
        String id = PREFIX + ProcessHandle.current().pid();
        FaultNetwork network = new FaultNetwork(id, freeSubnet(), nodes);
        try {
            network.build();
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
        boolean netem = SystemCommand.run("ip", "netns", "exec", network.namespace(0), "tc", "qdisc", "add", "dev", "eth0", "root",
                "netem", "delay", "1ms").code() == 0;
        if (netem) {
            SystemCommand.run("ip", "netns", "exec", network.namespace(0), "tc", "qdisc", "del", "dev", "eth0", "root");
        }
        return new FaultNetwork(network, netem);
    }

    private void build() {
        ip("link", "add", bridge(), "type", "bridge");
        ip("addr", "add", "10.77." + subnet + ".1/24", "dev", bridge());
        ip("link", "set", bridge(), "up");
        // The root namespace's end of a lossy link drops into this interface, which stays down.
        ip("link", "add", id + "d", "type", "ifb");
        for (int node = 0; node < nodes; node++) {
            String ns = namespace(node);
            ip("netns", "add", ns);
            ip("link", "add", veth(node), "type", "veth", "peer", "name", "eth0", "netns", ns);
            ip("link", "set", veth(node), "master", bridge(), "up");
            ip("-n", ns, "addr", "add", address(node) + "/24", "dev", "eth0");
            ip("-n", ns, "link", "set", "eth0", "up");
            ip("-n", ns, "link", "set", "lo", "up");
            ip("-n", ns, "link", "add", "drop0", "type", "ifb");
        }
    }

    /** Where each broker runs: in its namespace, bound to its address, the same ports in every namespace. */
    ProcessCluster.Layout layout() {
        return new ProcessCluster.Layout() {
            @Override
            public BrokerProcess.Placement placement(int node) {
                return new BrokerProcess.Placement(List.of("ip", "netns", "exec", namespace(node)),
                        BrokerProcess.QUICK_START, address(node), KAFKA_PORT, HTTP_PORT);
            }

            @Override
            public int raftPort(int node) {
                return RAFT_PORT;
            }
        };
    }

    String address(int node) {
        return "10.77." + subnet + "." + (10 + node);
    }

    boolean hasNetem() {
        return netem;
    }

    /** Full partition: the node's link to the bridge goes down; nobody, client or broker, reaches it. */
    void linkDown(int node) {
        ip("link", "set", veth(node), "down");
        undo.add("link set " + veth(node) + " up");
    }

    /**
     * Cuts {@code node} from each of {@code peers} and back (blackhole routes inside both namespaces):
     * clients on the bridge still reach every node.
     */
    void cut(int node, List<Integer> peers) {
        for (int peer : peers) {
            blackhole(node, peer);
            blackhole(peer, node);
        }
    }

    private void blackhole(int from, int to) {
        ip("-n", namespace(from), "route", "add", "blackhole", address(to) + "/32");
        undo.add("-n " + namespace(from) + " route del blackhole " + address(to) + "/32");
    }

    /**
     * The node's link drops 5 % of packets both ways and, where netem exists, delays each by 200 ms.
     * Returns what was applied, for the fault timeline.
     */
    String degrade(int node) {
        if (netem) {
            tc("-n", namespace(node), "qdisc", "add", "dev", "eth0", "root", "netem", "delay", "200ms", "loss", "5%");
            tc("qdisc", "add", "dev", veth(node), "root", "netem", "delay", "200ms", "loss", "5%");
            undo.add("tc -n " + namespace(node) + " qdisc del dev eth0 root");
            undo.add("tc qdisc del dev " + veth(node) + " root");
            return "netem delay 200ms loss 5% both ways";
        }
        dropRandomly(List.of("-n", namespace(node)), "eth0", "drop0");
        undo.add("tc -n " + namespace(node) + " qdisc del dev eth0 clsact");
        dropRandomly(List.of(), veth(node), id + "d");
        undo.add("tc qdisc del dev " + veth(node) + " clsact");
        return "loss 5% both ways (no sch_netem in this kernel: no delay)";
    }

    /**
     * Egress of {@code dev} redirected, for a random 5 % of IP packets, to {@code sink}, an interface
     * that is down and so drops them. The classic BPF program: load a random 32-bit number; below
     * 5 % of 2^32 it matches (returns -1), else not (0).
     */
    private void dropRandomly(List<String> namespace, String dev, String sink) {
        List<String> clsact = new ArrayList<>(namespace);
        clsact.addAll(List.of("qdisc", "add", "dev", dev, "clsact"));
        tc(clsact.toArray(String[]::new));
        long threshold = (long) (0.05 * (1L << 32));
        List<String> filter = new ArrayList<>(namespace);
        filter.addAll(List.of("filter", "add", "dev", dev, "egress", "prio", "1", "protocol", "ip", "bpf", "bytecode",
                "4,32 0 0 4294963256,53 1 0 " + threshold + ",6 0 0 4294967295,6 0 0 0",
                "action", "mirred", "egress", "redirect", "dev", sink));
        tc(filter.toArray(String[]::new));
    }

    /** Undoes every fault, newest first. */
    void heal() {
        for (int i = undo.size() - 1; i >= 0; i--) {
            String[] words = undo.get(i).split(" ");
            List<String> command = new ArrayList<>();
            if (!words[0].equals("tc")) {
                command.add("ip");
            }
            command.addAll(List.of(words));
            SystemCommand.Result result = SystemCommand.run(command.toArray(String[]::new));
            if (result.code() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output());
            }
        }
        undo.clear();
    }

    /** Removes the namespaces (and with them their veths), the bridge and the drop interface. */
    @Override
    public void close() {
        for (int node = 0; node < nodes; node++) {
            SystemCommand.run("ip", "netns", "del", namespace(node));
            // A namespace lives on while a process runs in it, and its veth with it.
            SystemCommand.run("ip", "link", "del", veth(node));
        }
        SystemCommand.run("ip", "link", "del", bridge());
        SystemCommand.run("ip", "link", "del", id + "d");
    }

    /** Namespaces and interfaces of test JVMs that no longer run. */
    private static void removeLeftovers() {
        for (String line : SystemCommand.run("ip", "netns", "list").output().split("\n")) {
            String name = line.split(" ")[0];
            if (name.startsWith(PREFIX) && !alive(name)) {
                SystemCommand.run("ip", "netns", "del", name);
            }
        }
        for (String line : SystemCommand.run("ip", "-o", "link", "show").output().split("\n")) {
            String[] fields = line.split(":? +");
            if (fields.length > 1) {
                String name = fields[1].split("@")[0];
                if (name.startsWith(PREFIX) && !alive(name)) {
                    SystemCommand.run("ip", "link", "del", name);
                }
            }
        }
    }

    private static boolean alive(String name) {
        String digits = name.substring(PREFIX.length()).replaceAll("[^0-9].*", "");
        return digits.isEmpty() || ProcessHandle.of(Long.parseLong(digits)).isPresent();
    }

    /** A 10.77.x.0/24 no interface of the root namespace is on (another run's, say). */
    private static int freeSubnet() {
        String addresses = SystemCommand.run("ip", "-o", "-4", "addr", "show").output();
        int start = (int) (ProcessHandle.current().pid() % 200);
        for (int i = 0; i < 200; i++) {
            int candidate = 20 + (start + i) % 200;
            if (!addresses.contains("10.77." + candidate + ".")) {
                return candidate;
            }
        }
        throw new IllegalStateException("No free 10.77.x.0/24 subnet");
    }

    private String namespace(int node) {
        return id + "n" + node;
    }

    private String bridge() {
        return id + "br";
    }

    private String veth(int node) {
        return id + "v" + node;
    }

    private static void ip(String... args) {
        command("ip", args);
    }

    private static void tc(String... args) {
        command("tc", args);
    }

    private static void command(String tool, String... args) {
        String[] command = new String[args.length + 1];
        command[0] = tool;
        System.arraycopy(args, 0, command, 1, args.length);
        SystemCommand.Result result = SystemCommand.run(command);
        if (result.code() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output().strip());
        }
    }

}
