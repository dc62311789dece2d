package io.ep2camel.render;

import io.ep2camel.model.Backend;
import io.ep2camel.model.BackendSet;
import io.ep2camel.testsupport.TestDirs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateRendererTest {
    private final Path dir = TestDirs.shortTemp();

    @AfterEach
    void cleanUp() {
        TestDirs.deleteQuietly(dir);
    }

    private TemplateRenderer template(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return new TemplateRenderer(file);
    }

    private static Map<String, Object> nodes(String nodes) {
        return Map.of("nodes", nodes);
    }

    @Test
    void jinja_nodes_with_and_without_spaces() throws Exception {
        TemplateRenderer t = template("haproxy.cfg.template", "listen be\n    {{nodes}}\n# {{ nodes }}\n");
        assertThat(t.render(nodes("server s1 10.0.0.1:80 check")))
                .isEqualTo("listen be\n    server s1 10.0.0.1:80 check\n# server s1 10.0.0.1:80 check\n");
    }

    @Test
    void jinja_undefined_variables_render_empty_like_ep2() throws Exception {
        // EP2's sample template has "if {{ ssl_fc }}", which Jinja renders as empty
        TemplateRenderer t = template("t.template",
                "http-request add-header X-Forwarded-Proto https if {{ ssl_fc }}\n{{nodes}}|{{ nope.deeper }}|");
        assertThat(t.render(nodes("N"))).isEqualTo("http-request add-header X-Forwarded-Proto https if \nN||");
    }

    @Test
    void jinja_text_without_placeholders_passes_through() throws Exception {
        String haproxy = "global\n\tstats socket /run/h.sock mode 660 level admin\n"
                + "listen x\n    http-request set-header X-Forwarded-Port %[dst_port]\n";
        assertThat(template("t.template", haproxy).render(nodes("N"))).isEqualTo(haproxy);
    }

    @Test
    void jinja_sees_other_model_variables() throws Exception {
        TemplateRenderer t = template("t.template", "backend {{ backend_name }}\n{% for b in backends %}{{ b.host }}:{{ b.port }};{% endfor %}");
        assertThat(t.render(Map.of("nodes", "", "backend_name", "be_app",
                "backends", List.of(Map.of("host", "10.0.0.1", "port", 8080)))))
                .isEqualTo("backend be_app\n10.0.0.1:8080;");
    }

    @Test
    void jinja_syntax_error_is_a_render_exception_naming_the_template() throws Exception {
        TemplateRenderer t = template("broken.template", "listen x\n{% if nodes %}\n{{nodes}}\n");
        assertThatThrownBy(() -> t.render(nodes("N")))
                .isInstanceOf(TemplateRenderer.RenderException.class)
                .hasMessageContaining(dir.resolve("broken.template").toString())
                .hasMessageContaining("endif");
    }

    @Test
    void jinja_unknown_tag_is_a_render_exception() throws Exception {
        TemplateRenderer t = template("unknown.template", "{% frobnicate %}{{nodes}}");
        assertThatThrownBy(() -> t.render(nodes("N")))
                .isInstanceOf(TemplateRenderer.RenderException.class)
                .hasMessageContaining("unknown.template");
    }

    @Test
    void jinja_expression_error_is_a_render_exception() throws Exception {
        TemplateRenderer t = template("expr.template", "{{ 1 + }}\n{{nodes}}");
        assertThatThrownBy(() -> t.render(nodes("N")))
                .isInstanceOf(TemplateRenderer.RenderException.class)
                .hasMessageContaining("expr.template");
    }

    @Test
    void missing_template_is_a_render_exception_naming_it() {
        Path missing = dir.resolve("gone.template");
        assertThatThrownBy(() -> new TemplateRenderer(missing).render(nodes("N")))
                .isInstanceOf(TemplateRenderer.RenderException.class)
                .hasMessageContaining(missing.toString());
    }

    @Test
    void template_is_reread_on_every_render() throws Exception {
        Path file = dir.resolve("t.template");
        Files.writeString(file, "v1 {{nodes}}");
        TemplateRenderer t = new TemplateRenderer(file);
        assertThat(t.render(nodes("N"))).isEqualTo("v1 N");
        Files.writeString(file, "v2 {{nodes}}");
        assertThat(t.render(nodes("N"))).isEqualTo("v2 N");
    }

    @Test
    void ftl_goes_through_freemarker() throws Exception {
        TemplateRenderer t = template("haproxy.cfg.ftl", "listen be\n    ${nodes}\n# {{nodes}} is plain text here\n");
        assertThat(t.render(nodes("server s1 10.0.0.1:80 check")))
                .isEqualTo("listen be\n    server s1 10.0.0.1:80 check\n# {{nodes}} is plain text here\n");
    }

    @Test
    void ftl_does_not_html_escape() throws Exception {
        TemplateRenderer t = template("t.ftl", "${nodes}");
        assertThat(t.render(nodes("acl a hdr(host) -i <x> & \"y\""))).isEqualTo("acl a hdr(host) -i <x> & \"y\"");
    }

    @Test
    void ftl_syntax_error_is_a_render_exception_naming_the_template() throws Exception {
        TemplateRenderer t = template("broken.ftl", "<#if>${nodes}");
        assertThatThrownBy(() -> t.render(nodes("N")))
                .isInstanceOf(TemplateRenderer.RenderException.class)
                .hasMessageContaining(dir.resolve("broken.ftl").toString());
    }

    @Test
    void ftl_undefined_variable_is_a_render_exception() throws Exception {
        TemplateRenderer t = template("undef.ftl", "${nodes} ${nope}");
        assertThatThrownBy(() -> t.render(nodes("N")))
                .isInstanceOf(TemplateRenderer.RenderException.class)
                .hasMessageContaining("undef.ftl");
    }

    @Test
    void jinja_renders_backend_ports_as_plain_numbers() throws Exception {
        HaproxyConfigRenderer r = new HaproxyConfigRenderer(
                template("ports.template", "{% for b in backends %}{{ b.host }}:{{ b.port }} {{ b.weight }}{% endfor %}"));
        assertThat(r.render(List.of(PoolLines.of("be", new ServerLineFormat(Optional.empty(), Optional.empty()),
                BackendSet.of(new Backend("10.0.0.1", 12345, 100)))))).isEqualTo("10.0.0.1:12345 100");
    }
    @Test
    void ftl_renders_backend_ports_as_plain_numbers() throws Exception {
        HaproxyConfigRenderer r = new HaproxyConfigRenderer(
                template("ports.ftl", "<#list backends as b>${b.host}:${b.port}</#list>${nodes?length}"));
        assertThat(r.render(List.of(PoolLines.of("be", new ServerLineFormat(Optional.empty(), Optional.empty()),
                BackendSet.of(new Backend("10.0.0.1", 12345)))))).startsWith("10.0.0.1:12345");
    }
}
