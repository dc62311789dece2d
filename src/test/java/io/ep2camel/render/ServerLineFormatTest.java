package io.ep2camel.render;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.testsupport.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ServerLineFormatTest {
    private static final ServerLineFormat PLAIN = new ServerLineFormat(Optional.empty(), Optional.empty());
    private static final ServerLineFormat FULL = new ServerLineFormat(Optional.of(100), Optional.of("2s"));
    private final Path dir = TestDirs.shortTemp();

    @AfterEach
    void cleanUp() {
        TestDirs.deleteQuietly(dir);
    }

    @Test
    void every_line_has_check() {
        assertThat(PLAIN.options(0)).isEqualTo("check");
        assertThat(PLAIN.line(new Backend("10.0.0.1", 80))).isEqualTo("server srv_10.0.0.1_80 10.0.0.1:80 check");
    }

    @Test
    void inter_and_maxconn_when_configured() {
        assertThat(FULL.options(0)).isEqualTo("check inter 2s maxconn 100");
        assertThat(new ServerLineFormat(Optional.of(5), Optional.empty()).options(0)).isEqualTo("check maxconn 5");
        assertThat(new ServerLineFormat(Optional.empty(), Optional.of("1500")).options(0)).isEqualTo("check inter 1500");
    }

    @Test
    void down_check_interval_is_capped_at_a_shorter_check_interval() {
        assertThat(ServerLineFormat.notSlowerThan(Optional.of("200ms"), Optional.of("20"))).contains("20");
        assertThat(ServerLineFormat.notSlowerThan(Optional.of("200ms"), Optional.of("1s"))).contains("200ms");
        assertThat(ServerLineFormat.notSlowerThan(Optional.of("1m"), Optional.of("30s"))).contains("30s");
        assertThat(ServerLineFormat.notSlowerThan(Optional.of("200ms"), Optional.of("200000us"))).contains("200ms");
        assertThat(ServerLineFormat.notSlowerThan(Optional.of("200ms"), Optional.empty())).contains("200ms");
    }

    @Test
    void downinter_last_and_only_when_the_template_does_not_set_it() {
        ServerLineFormat down = new ServerLineFormat(Optional.of(100), Optional.of("2s"), Optional.of("200ms"));
        assertThat(down.options(3)).isEqualTo("check inter 2s maxconn 100 weight 3 downinter 200ms");
        assertThat(down.options(0)).isEqualTo("check inter 2s maxconn 100 downinter 200ms");
        assertThat(ServerLineFormat.downInterval(Optional.of("200ms"), "backend be\n    default-server downinter 5s\n"))
                .as("the operator's own downinter wins").isEmpty();
        assertThat(ServerLineFormat.downInterval(Optional.of("200ms"), "backend be\n    default-server inter 1s\n"))
                .contains("200ms");
    }

    @Test
    void weight_only_when_set() {
        assertThat(PLAIN.options(10)).isEqualTo("check weight 10");
        assertThat(FULL.options(256)).isEqualTo("check inter 2s maxconn 100 weight 256");
        assertThat(FULL.line(new Backend("web.example.com", 8080, 3)))
                .isEqualTo("server srv_web.example.com_8080 web.example.com:8080 check inter 2s maxconn 100 weight 3");
    }

    @Test
    void ipv6_addresses_are_bracketed() {
        assertThat(PLAIN.line(new Backend("2001:db8::1", 443)))
                .isEqualTo("server srv_2001:db8::1_443 [2001:db8::1]:443 check");
    }

    @Test
    void config_renderer_writes_one_server_line_per_backend() throws Exception {
        Path template = dir.resolve("haproxy.cfg.template");
        Files.writeString(template, "listen be_app\n    bind :80\n    {{nodes}}\n");
        HaproxyConfigRenderer r = new HaproxyConfigRenderer(new TemplateRenderer(template));
        String out = r.render(List.of(PoolLines.of("be_app", FULL, BackendSet.of(new Backend("10.0.0.2", 80),
                new Backend("::1", 81), new Backend("10.0.0.1", 80, 7), new Backend("10.0.0.1", 80, 7)))));
        assertThat(out.lines().filter(l -> l.strip().startsWith("server "))).containsExactly(
                "    server srv_10.0.0.1_80 10.0.0.1:80 check inter 2s maxconn 100 weight 7",
                "    server srv_10.0.0.2_80 10.0.0.2:80 check inter 2s maxconn 100",
                "    server srv_::1_81 [::1]:81 check inter 2s maxconn 100");
        assertThat(out).startsWith("listen be_app\n    bind :80\n");
    }

    @Test
    void config_renderer_with_no_backends_leaves_the_placeholder_empty() throws Exception {
        Path template = dir.resolve("haproxy.cfg.template");
        Files.writeString(template, "listen be_app\n    {{nodes}}\n");
        HaproxyConfigRenderer r = new HaproxyConfigRenderer(new TemplateRenderer(template));
        assertThat(r.render(List.of(PoolLines.of("be_app", PLAIN, BackendSet.EMPTY)))).isEqualTo("listen be_app\n    \n");
    }

    @Test
    void config_renderer_offers_backend_name_and_backends() throws Exception {
        Path template = dir.resolve("rich.template");
        Files.writeString(template, "backend {{backend_name}}\n{% for b in backends %}{{b.name}} {{b.host}} {{b.port}} {{b.weight}}\n{% endfor %}{{nodes}}");
        HaproxyConfigRenderer r = new HaproxyConfigRenderer(new TemplateRenderer(template));
        String out = r.render(List.of(PoolLines.of("be_app", PLAIN, BackendSet.of(new Backend("10.0.0.1", 80, 2)))));
        assertThat(out).isEqualTo("backend be_app\nsrv_10.0.0.1_80 10.0.0.1 80 2\nserver srv_10.0.0.1_80 10.0.0.1:80 check weight 2");
    }

    @Test
    void config_renderer_takes_any_server_lines() throws Exception {
        Path template = dir.resolve("t.template");
        Files.writeString(template, "    {{nodes}}");
        HaproxyConfigRenderer r = new HaproxyConfigRenderer(new TemplateRenderer(template));
        assertThat(r.render(List.of(new PoolLines("be", List.of("server a 1.1.1.1:1 check", "server b 0.0.0.0:1 disabled"),
                List.of())))).isEqualTo("    server a 1.1.1.1:1 check\n    server b 0.0.0.0:1 disabled");
    }

    @Test
    void config_renderer_places_every_pool_under_pools_and_the_first_as_nodes() throws Exception {
        Path template = dir.resolve("pools.template");
        Files.writeString(template, "backend {{backend_name}}\n    {{nodes}}\n"
                + "backend api\n    {{ pools.api.nodes }}\n"
                + "backend api-v2\n    {{ pools['api-v2'].nodes }}\n"
                + "{% for name, p in pools.items() %}{{name}}={{p.backends|length}} {% endfor %}");
        HaproxyConfigRenderer r = new HaproxyConfigRenderer(new TemplateRenderer(template));
        String out = r.render(List.of(
                PoolLines.of("web", PLAIN, BackendSet.of(new Backend("10.0.0.1", 80))),
                PoolLines.of("api", PLAIN, BackendSet.of(new Backend("10.0.1.1", 8080), new Backend("10.0.1.2", 8080))),
                PoolLines.of("api-v2", PLAIN, BackendSet.EMPTY)));
        assertThat(out).isEqualTo("backend web\n    server srv_10.0.0.1_80 10.0.0.1:80 check\n"
                + "backend api\n    server srv_10.0.1.1_8080 10.0.1.1:8080 check\n    server srv_10.0.1.2_8080 10.0.1.2:8080 check\n"
                + "backend api-v2\n    \n"
                + "web=1 api=2 api-v2=0 ");
    }

    @Test
    void fastinterFollowsDowninterUnlessTheTemplateSetsIt() {
        ServerLineFormat f = new ServerLineFormat(Optional.empty(), Optional.of("2s"), Optional.of("200ms"),
                ServerLineFormat.fastInterval(Optional.of("200ms"), "backend be\n    default-server rise 2\n"), List.of());
        assertThat(f.options(0)).isEqualTo("check inter 2s downinter 200ms fastinter 200ms");
        assertThat(ServerLineFormat.fastInterval(Optional.of("200ms"), "backend be\n    default-server fastinter 1s\n"))
                .as("the operator's own fastinter wins").isEmpty();
    }
}
