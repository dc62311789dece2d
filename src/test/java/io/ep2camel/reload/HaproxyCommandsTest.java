package io.ep2camel.reload;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HaproxyCommandsTest {
    private final HaproxyCommands cmd = new HaproxyCommands(Path.of("/usr/sbin/haproxy"), "/bin/systemctl");
    private final Path cfg = Path.of("/etc/haproxy/haproxy.cfg");
    private final Path pid = Path.of("/run/haproxy.pid");
    private final Path sock = Path.of("/run/haproxy/admin.sock");

    @Test
    void check() {
        assertThat(cmd.check(Path.of("/etc/haproxy/haproxy.cfg.ep2-new")))
                .containsExactly("/usr/sbin/haproxy", "-c", "-f", "/etc/haproxy/haproxy.cfg.ep2-new");
    }

    @Test
    void start_is_master_worker_quiet_daemon_with_pid_file() {
        assertThat(cmd.start(cfg, pid)).containsExactly("/usr/sbin/haproxy", "-W", "-D",
                "-f", "/etc/haproxy/haproxy.cfg", "-p", "/run/haproxy.pid");
    }

    @Test
    void start_with_master_socket_opens_the_master_cli_for_the_owner_only() {
        assertThat(cmd.start(cfg, pid, Path.of("/run/haproxy-master.sock"))).endsWith("-S", "/run/haproxy-master.sock,mode,600");
    }

    @Test
    void reload_with_socket_and_old_pids_is_ep2s_hitless_reload() {
        assertThat(cmd.reload(cfg, pid, sock, List.of(100L, 101L))).containsExactly("/usr/sbin/haproxy", "-W", "-D",
                "-f", "/etc/haproxy/haproxy.cfg", "-p", "/run/haproxy.pid",
                "-x", "/run/haproxy/admin.sock", "-sf", "100", "101");
    }

    @Test
    void reload_without_socket_has_no_x() {
        assertThat(cmd.reload(cfg, pid, null, List.of(100L))).containsExactly("/usr/sbin/haproxy", "-W", "-D",
                "-f", "/etc/haproxy/haproxy.cfg", "-p", "/run/haproxy.pid", "-sf", "100");
    }

    @Test
    void reload_without_old_pids_has_no_sf() {
        assertThat(cmd.reload(cfg, pid, sock, List.of())).containsExactly("/usr/sbin/haproxy", "-W", "-D",
                "-f", "/etc/haproxy/haproxy.cfg", "-p", "/run/haproxy.pid", "-x", "/run/haproxy/admin.sock");
    }

    @Test
    void reload_without_socket_and_pids_is_a_start() {
        assertThat(cmd.reload(cfg, pid, null, List.of())).isEqualTo(cmd.start(cfg, pid));
    }

    @Test
    void paths_with_spaces_stay_one_argument() {
        HaproxyCommands spaced = new HaproxyCommands(Path.of("/opt/my haproxy/haproxy"), "systemctl");
        assertThat(spaced.check(Path.of("/etc/my cfg/h.cfg")))
                .containsExactly("/opt/my haproxy/haproxy", "-c", "-f", "/etc/my cfg/h.cfg");
    }

    @Test
    void systemctl_verbs() {
        assertThat(cmd.systemctl("reload", "haproxy")).containsExactly("/bin/systemctl", "reload", "haproxy");
        assertThat(cmd.systemctl("start", "haproxy.service")).containsExactly("/bin/systemctl", "start", "haproxy.service");
        assertThat(cmd.systemctl("is-active", "haproxy")).containsExactly("/bin/systemctl", "is-active", "--quiet", "haproxy");
    }

    @Test
    void argument_lists_are_immutable() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cmd.check(cfg).add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
