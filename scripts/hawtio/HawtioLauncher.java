import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ClassMatcher;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Hawtio 4 (io.hawt:hawtio-war) in an embedded Jetty 12 (ee10: Servlet 6, the jakarta.servlet
 * API the war is built for), on 127.0.0.1 only, with one connection preset: ep2-camel's Jolokia.
 * Started by scripts/hawtio.sh in a JVM of its own, with the jars scripts/hawtio/pom.xml copies,
 * so that nothing of it runs inside (or is packaged with) the controller.
 *
 * <pre>java -cp 'LIB/*' HawtioLauncher.java WAR JOLOKIA_URL PORT POLICY_FILE</pre>
 *
 * The preset: Hawtio 4.2.0's console (the newest on Maven Central) has no server-side preset
 * connections yet; it opens a connection named in {@code ?con=ID} from the connections it keeps
 * in the browser's localStorage ("connect.connections", the format of its Connect page's
 * export/import). So "/" is a page that adds ep2-camel's connection there and opens
 * /hawtio/?con=ep2-camel, which is what later Hawtio versions do themselves with the
 * hawtio.connect.presetConnections system property, set here as well for them.
 */
public final class HawtioLauncher {
    static final String CONNECTION_ID = "ep2-camel";

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: HawtioLauncher WAR JOLOKIA_URL PORT POLICY_FILE");
            System.exit(2);
        }
        Path war = Path.of(args[0]);
        URI jolokia = URI.create(args[1]);
        int port = Integer.parseInt(args[2]);
        Path ownJolokiaPolicy = Path.of(args[3]);
        if (!"http".equals(jolokia.getScheme()) && !"https".equals(jolokia.getScheme()) || jolokia.getHost() == null) {
            System.err.println("not an http(s) Jolokia URL: " + jolokia);
            System.exit(2);
        }
        configureHawtio(jolokia, ownJolokiaPolicy);

        Server server = new Server();
        ServerConnector http = new ServerConnector(server);
        http.setHost("127.0.0.1");          // the console is for this machine's operator only
        http.setPort(port);
        server.addConnector(http);

        WebAppContext hawtio = new WebAppContext();
        hawtio.setContextPath("/hawtio");   // the war's index.html has <base href="/hawtio/">
        hawtio.setWar(war.toString());
        hawtio.setThrowUnavailableOnStartupException(true);
        // one SLF4J for Jetty and Hawtio (the server's, logging to the console): the war's own
        // SLF4J would find the server's provider, fail to load it and say so at every start
        hawtio.addProtectedClassMatcher(new ClassMatcher("org.slf4j."));

        ContextHandler preset = new ContextHandler(new PresetConnectionPage(connectionJson(jolokia)), "/");
        server.setHandler(new ContextHandlerCollection(hawtio, preset));
        server.setStopAtShutdown(true);
        server.start();
        System.out.println("Hawtio for " + jolokia + " at http://127.0.0.1:" + http.getLocalPort() + "/");
        server.join();
    }

    /** Hawtio's server side reads its settings from system properties. */
    private static void configureHawtio(URI jolokia, Path ownJolokiaPolicy) {
        // No Hawtio login: the console is bound to loopback and shows a Jolokia that by default
        // only reads; when the controller's Jolokia asks for a login (observe_credentials_file)
        // Hawtio's Connect page asks for it and its proxy passes it on.
        System.setProperty("hawtio.authenticationEnabled", "false");
        // Hawtio's proxy (/hawtio/proxy/...) reaches loopback and the controller's host only,
        // not every address of this machine (which local address probing would add).
        Set<String> allow = new LinkedHashSet<>(Set.of("127.0.0.1", "localhost", "[::1]"));
        allow.add(jolokia.getHost());
        System.setProperty("hawtio.proxyAllowlist", String.join(",", allow));
        System.setProperty("hawtio.localAddressProbing", "false");
        // Hawtio's own Jolokia (/hawtio/jolokia, this JVM's MBeans) answers nothing: with no login,
        // any local user could otherwise run this JVM's diagnostic operations through it.
        System.setProperty("jolokia.policyLocation", ownJolokiaPolicy.toUri().toString());
        // the preset, for Hawtio versions that read it (4.2.0 does not: see the class comment)
        System.setProperty("hawtio.connect.presetConnections", "[" + connectionJson(jolokia) + "]");
    }

    /** One connection as Hawtio's Connect page stores it. */
    static String connectionJson(URI jolokia) {
        int port = jolokia.getPort() != -1 ? jolokia.getPort() : "https".equals(jolokia.getScheme()) ? 443 : 80;
        String path = jolokia.getRawPath() == null || jolokia.getRawPath().isEmpty() ? "/jolokia" : jolokia.getRawPath();
        return "{\"id\":" + quote(CONNECTION_ID) + ",\"name\":" + quote(CONNECTION_ID)
                + ",\"scheme\":" + quote(jolokia.getScheme()) + ",\"host\":" + quote(jolokia.getHost())
                + ",\"port\":" + port + ",\"path\":" + quote(path) + "}";
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\' || c < 0x20 || c == '<' || c == '>') {
                out.append(String.format("\\u%04x", (int) c));   // also keeps "</script>" out of the page
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** "/": stores the preset connection in the browser and opens Hawtio on it. */
    static final class PresetConnectionPage extends Handler.Abstract {
        private final byte[] page;

        PresetConnectionPage(String connectionJson) {
            this.page = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>ep2-camel: Hawtio</title></head>"
                    + "<body><p>Opening Hawtio on ep2-camel's Jolokia&hellip;</p><script>\n"
                    + "const conn = " + connectionJson + ";\n"
                    + "const all = JSON.parse(localStorage.getItem('connect.connections') || '{}');\n"
                    + "all[conn.id] = conn;\n"
                    + "localStorage.setItem('connect.connections', JSON.stringify(all));\n"
                    + "location.replace('/hawtio/?con=' + encodeURIComponent(conn.id));\n"
                    + "</script></body></html>\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            if (!"/".equals(Request.getPathInContext(request))) {
                return false;                     // everything else: 404 from Jetty
            }
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.write(true, java.nio.ByteBuffer.wrap(page), callback);
            return true;
        }
    }

    private HawtioLauncher() {
    }
}
