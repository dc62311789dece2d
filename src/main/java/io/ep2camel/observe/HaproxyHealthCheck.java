package io.ep2camel.observe;

import io.ep2camel.reload.HaproxyControl;
import io.ep2camel.socket.HaproxySocketClient;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Ready while HAProxy answers on its stats socket(s) ({@code show info}); without a socket
 * configured, while its processes run.
 */
public class HaproxyHealthCheck extends AbstractHealthCheck {
    private final List<Path> sockets;
    private final HaproxyControl control;
    private final HaproxySocketClient client = new HaproxySocketClient(Duration.ofSeconds(2));

    public HaproxyHealthCheck(List<Path> sockets, HaproxyControl control) {
        super("ep2", "ep2-haproxy");
        this.sockets = sockets;
        this.control = control;
    }

    @Override
    public boolean isLiveness() {
        return false; // the controller restarts HAProxy itself; restarting the controller would not help
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        try {
            if (sockets.isEmpty()) {
                builder.detail("check", "process");
                if (control.isRunning()) {
                    builder.up();
                } else {
                    builder.message("HAProxy is not running").down();
                }
                return;
            }
            for (Path socket : sockets) {
                builder.detail("socket", socket.toString());
                client.execute(socket, List.of("show info"));
            }
            builder.up();
        } catch (RuntimeException | IOException e) {
            builder.message(e.getMessage()).error(e).down();
        }
    }
}
