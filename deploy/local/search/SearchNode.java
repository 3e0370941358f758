/*
 * One OpenSearch 2.19 node on loopback for scamtrail's local runs and integration tests.
 *
 * Compiled and started by deploy/local/search.sh, on the class path that
 * deploy/local/search/pom.xml gathers:
 *
 *   java -cp "<classes>:<lib>/*" SearchNode <basePath> <httpPort> <transportPort> <clusterName>
 *
 * The node embeds the modules the store needs (lang-painless for the registry's scripted
 * upserts, analysis-common for asciifolding, transport-netty4 for HTTP) through
 * org.codelibs.opensearch.runner.OpenSearchRunner. Unlike the runner's own main, this launcher
 * binds to 127.0.0.1 only, takes the HTTP port it is given instead of the first free one, turns
 * the disk watermarks off, runs as a single-node cluster, prints why it failed instead of exiting
 * silently, and prints one "ready" line once the cluster is yellow.
 * SIGTERM closes the node cleanly.
 */

import org.codelibs.opensearch.runner.OpenSearchRunner;

public final class SearchNode {

    private SearchNode() {
    }

    public static void main(final String[] args) {
        if (args.length != 4) {
            System.err.println("usage: SearchNode <basePath> <httpPort> <transportPort> <clusterName>");
            System.exit(2);
        }
        final String basePath = args[0];
        final String httpPort = args[1];
        final String transportPort = args[2];
        final String clusterName = args[3];

        final OpenSearchRunner runner = new OpenSearchRunner();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (!runner.isClosed()) {
                    runner.close();
                }
            } catch (final Exception e) {
                e.printStackTrace();
            }
        }, "scamtrail-search-shutdown"));

        try {
            runner.onBuild((number, settings) -> {
                settings.put("network.host", "127.0.0.1");
                settings.put("http.port", httpPort);
                settings.put("transport.port", transportPort);
                settings.put("discovery.type", "single-node");
                settings.putList("node.roles", "cluster_manager", "data", "ingest");
                // Tests run on machines with little free disk; a read-only index would fail them.
                settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
            });
            // The runner prints "HTTP Port: <base + 1>" after probing ports up to 9299; a matching
            // base and no probing keep that line true for any port (http.port above decides).
            runner.setMaxHttpPort(-1);
            final String baseHttpPort = String.valueOf(Integer.parseInt(httpPort) - 1);
            runner.build("-basePath", basePath, "-numOfNode", "1", "-clusterName", clusterName,
                    "-baseHttpPort", baseHttpPort, "-printOnFailure");
            runner.ensureYellow();
            System.out.println("scamtrail-search: ready http://127.0.0.1:" + httpPort
                    + " cluster=" + clusterName);
            System.out.flush();
        } catch (final Throwable t) {
            System.err.println("scamtrail-search: failed to start: " + t);
            t.printStackTrace();
            System.exit(1);
        }

        try {
            while (!runner.isClosed()) {
                Thread.sleep(1000);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.println("scamtrail-search: node closed");
    }
}
