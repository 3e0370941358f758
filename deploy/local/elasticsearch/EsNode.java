// Starts one Elasticsearch 8.19 node in this JVM from the Maven Central jars.
//
// Why not the server's own main class (org.elasticsearch.bootstrap.Elasticsearch): it reads a
// ServerArgs record from standard input (written by the distribution's server-cli, which this
// launcher could write with ServerArgs.writeTo), but in 8.19 its second phase always bootstraps
// entitlements, which needs the entitlement agent jar and the ASM instrumentation provider that the
// distribution embeds in elasticsearch-entitlement; neither is published on Maven Central
// ("NoClassDefFoundError: org/elasticsearch/entitlement/bridge/EntitlementChecker"). It also needs
// lib/tools/ansi-console. So this launcher does what the server's phase 3 does without that
// sandbox: logging, the modules under HOME/modules (transport-netty4), then Node.start().
// That is for a local test node only; a production cluster runs the distribution.
//
// Usage: java --module-path LIB --add-modules ALL-MODULE-PATH -cp CLASSES EsNode
//          HOME HTTP_PORT TRANSPORT_PORT CLUSTER_NAME
// HOME holds config/ (log4j2.properties), modules/, plugins/, data/, logs/.

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginsLoader;

public final class EsNode {
    public static void main(String[] argv) throws Exception {
        if (argv.length != 4) {
            System.err.println("usage: EsNode HOME HTTP_PORT TRANSPORT_PORT CLUSTER_NAME");
            System.exit(2);
        }
        Path home = Path.of(argv[0]).toAbsolutePath();
        Files.createDirectories(home.resolve("plugins"));
        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", argv[3])
            .put("node.name", argv[3] + "-1")
            .put("network.host", "127.0.0.1")
            .put("http.port", argv[1])
            .put("transport.port", argv[2])
            .put("discovery.type", "single-node")
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.destructive_requires_name", false)
            .build();
        Environment env = new Environment(settings, home.resolve("config"));
        LogConfigurator.registerErrorListener();
        LogConfigurator.setNodeName(argv[3] + "-1");
        LogConfigurator.configure(env, true);

        PluginsLoader plugins = PluginsLoader.createPluginsLoader(
            PluginsLoader.loadModulesBundles(env.modulesDir()),
            PluginsLoader.loadPluginsBundles(env.pluginsDir()),
            Map.of()
        );
        Node node = new Node(env, plugins);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.prepareForClose();
                node.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                closed.countDown();
            }
        }, "es-node-shutdown"));
        node.start();
        System.err.println("EsNode: started");
        closed.await();
    }
}
