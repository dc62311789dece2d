package io.ep2camel.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.testsupport.Ep2Samples;
import io.ep2camel.testsupport.HaproxyProcess;
import io.ep2camel.testsupport.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * EP2's sample template (tabs, a literal {@code { ssl_fc }}, the servers placeholder after a tab)
 * renders here as EP2's Jinja2 renders it: the same lines, the same indentation. The reference is
 * Jinja2 itself (Debian's python3-jinja2, the library EP2 renders with), not a hand-written
 * expectation; the result then passes the real {@code haproxy -c}.
 */
class Ep2TemplateRenderingTest {
    private static final String PYTHON = "/usr/bin/python3";
    private final Path dir = TestDirs.shortTemp();
    private final Path template = dir.resolve("haproxy.cfg.template");

    @AfterEach
    void cleanUp() {
        TestDirs.deleteQuietly(dir);
    }

    /** Jinja2's {@code Template(text).render(nodes=...)}, as EP2's confighandler calls it. */
    private static String jinja2(String text, String nodes) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, "-c", """
                import json, sys
                import jinja2
                d = json.load(sys.stdin)
                sys.stdout.write(jinja2.Template(d['template']).render({'nodes': d['nodes']}))
                """).start();
        p.getOutputStream().write(new ObjectMapper().writeValueAsBytes(Map.of("template", text, "nodes", nodes)));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("python3 with Jinja2 (apt-get install python3-jinja2): " + err).isZero();
        return out;
    }

    private String sampleTemplate() throws IOException {
        String text = Ep2Samples.adaptTemplate(Ep2Samples.sampleTemplate(), dir.resolve("haproxy.sock"), 17001, 17002);
        Files.writeString(template, text);
        return text;
    }

    @Test
    void rendersEp2sOwnNodesExactlyAsJinja2Does() throws Exception {
        String text = sampleTemplate();
        // the nodes value EP2's confighandler builds: 4-space indented lines, each ending in a newline,
        // free slots as one disabled server-template line
        String nodes = "    server node3 127.0.0.2:6003 check inter 1000 maxconn 200\n"
                + "    server node4 127.0.0.3:6003 check inter 1000 maxconn 200\n"
                + "    server-template node 2 127.0.0.1:1 check inter 1000 maxconn 200 disabled\n";

        String ours = new TemplateRenderer(template).render(Map.of("nodes", nodes));

        String jinja2 = jinja2(text, nodes);
        assertThat(ours.lines()).containsExactlyElementsOf(jinja2.lines().toList());
        // the one difference (README, EP2 compatibility): Jinja2 drops the template's last newline,
        // which HAProxy warns about; it is kept here
        assertThat(jinja2).doesNotEndWith("\n");
        assertThat(ours).isEqualTo(jinja2 + "\n");
        assertThat(ours).contains("\t    server node3 127.0.0.2:6003", "if { ssl_fc }");
        // the health check line as the template has it, escapes and all (EP2's own "HEAD / HTTP/1.1\r\nHost:..."
        // on 2.6; on 3.0, which refuses that, the adapted sample's http-check send: see Ep2Samples)
        text.lines().filter(l -> l.contains("httpchk") || l.contains("http-check")).forEach(l -> assertThat(ours).contains(l));
        if (!HaproxyProcess.versionAtLeast(3, 0)) {
            assertThat(ours).contains("HEAD / HTTP/1.1\\r\\nHost:localhost");
        }
    }

    @Test
    void rendersEp2CamelsServerLinesAsJinja2WouldAndHaproxyAcceptsTheResult() throws Exception {
        String text = sampleTemplate();
        ServerLineFormat format = new ServerLineFormat(Optional.of(200), Optional.of("1000"));
        BackendSet set = BackendSet.of(List.of(new Backend("127.0.0.2", 6003), new Backend("127.0.0.3", 6003)));
        PoolLines pool = PoolLines.of("haproxynode", format, set);

        String ours = new HaproxyConfigRenderer(new TemplateRenderer(template)).render(List.of(pool));

        // the same value for nodes through Jinja2 gives the same lines
        String nodes = String.join("\n    ", pool.serverLines());
        assertThat(ours.lines()).containsExactlyElementsOf(jinja2(text, nodes).lines().toList());
        // every line of the template but the placeholder's stays as it was, tabs and all
        List<String> templateLines = text.lines().toList();
        int at = templateLines.indexOf("\t{{nodes}}");
        List<String> out = ours.lines().toList();
        assertThat(out.subList(0, at)).containsExactlyElementsOf(templateLines.subList(0, at));
        assertThat(out.get(at)).isEqualTo("\tserver srv_127.0.0.2_6003 127.0.0.2:6003 check inter 1000 maxconn 200");
        assertThat(out.get(at + 1)).isEqualTo("    server srv_127.0.0.3_6003 127.0.0.3:6003 check inter 1000 maxconn 200");
        assertThat(out.subList(at + 2, out.size())).containsExactlyElementsOf(templateLines.subList(at + 1, templateLines.size()));

        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, ours);
        Process check = new ProcessBuilder(HaproxyProcess.BINARY, "-c", "-f", cfg.toString()).redirectErrorStream(true).start();
        String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(said).isZero();
    }
}
